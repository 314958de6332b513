// The dev-dependency aliases of older and newer majors (package.json:
// "express4": "npm:express@^4", "koa3": "npm:koa@^3") have no types of their
// own: the tests type them as the versions @types describes.
declare module 'express4' {
  import express from 'express';
  export default express;
}
declare module 'koa3' {
  import Koa from 'koa';
  export default Koa;
}
