/**
 * The signature debugger page: reads the form, runs {@link analyse}, shows
 * the result. Everything stays in the page (its Content-Security-Policy
 * allows no connection at all); text is only ever set as text, never as
 * markup.
 * @module
 * @internal
 */
import { analyse, type ComparisonRow, type DebuggerInput, type DebuggerReport } from './analyse.js';
import { X_EXAMPLE } from './example.js';

const TEXT_FIELDS = [
  'method', 'url', 'headers', 'body', 'signatureMethod', 'consumerKey', 'consumerSecret', 'token', 'tokenSecret',
  'privateKey', 'realm', 'nonce', 'timestamp', 'callback', 'verifier', 'placement', 'provider',
] as const;
const CHECKBOXES = ['includeVersion', 'bodyHash'] as const;

function element<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
}

function field(form: HTMLFormElement, name: string): HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement {
  const el = form.elements.namedItem(name);
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement)) throw new Error(`the form has no field ${name}`);
  return el;
}

function readForm(form: HTMLFormElement): DebuggerInput {
  const input: Record<string, string | boolean> = {};
  for (const name of TEXT_FIELDS) input[name] = field(form, name).value;
  for (const name of CHECKBOXES) input[name] = (field(form, name) as HTMLInputElement).checked;
  return input as unknown as DebuggerInput;
}

function fillForm(form: HTMLFormElement, values: Partial<DebuggerInput>): void {
  for (const [name, value] of Object.entries(values)) {
    const el = field(form, name);
    if (typeof value === 'boolean') (el as HTMLInputElement).checked = value;
    else el.value = value;
  }
}

function cell(text: string | string[], className: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.className = className;
  const values = typeof text === 'string' ? [text] : text;
  if (values.length === 0) {
    const span = document.createElement('span');
    span.className = 'absent';
    span.textContent = 'not signed';
    td.append(span);
  } else td.textContent = values.join('\n');
  return td;
}

function comparisonRow(row: ComparisonRow): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.dataset['part'] = row.part;
  tr.dataset['name'] = row.name;
  if (row.differs) tr.className = 'differs';
  const name = document.createElement('td');
  name.textContent = row.name;
  tr.append(name, cell(row.ours, 'ours'), cell(row.theirs, 'theirs'));
  return tr;
}

function show(id: string, visible: boolean): void {
  element(id).hidden = !visible;
}

function renderSigned(report: DebuggerReport): void {
  const signed = report.signed;
  show('signed', signed !== undefined);
  show('parameters-box', signed !== undefined && report.comparison === undefined);
  if (signed === undefined) return;
  element('signature').textContent = signed.signature;
  element('authorization').textContent = signed.authorization ?? '(the protocol parameters travel in the query or the body)';
  element('request-line').textContent = `${signed.method} ${signed.url}${signed.body !== null ? `\n\n${signed.body}` : ''}`;
  element('base-string').textContent = signed.baseString;
  const rows = signed.parameters.map((p) => {
    const tr = document.createElement('tr');
    for (const text of [p.name, p.value, p.from]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    return tr;
  });
  element('parameters').replaceChildren(...rows);
}

function renderProvider(report: DebuggerReport): void {
  const provider = report.provider;
  show('provider-box', provider !== undefined && (provider.problem !== undefined || provider.baseString === undefined));
  if (provider === undefined) return;
  element('problem').textContent =
    provider.problem !== undefined ? `The provider says: ${provider.problem}` : provider.baseString === undefined ? 'No oauth_problem and no base string found in what was pasted.' : '';
  const details = provider.details.map(([n, v]) => `${n}: ${v}`).join('; ');
  element('advice').textContent = [provider.advice, details].filter(Boolean).join(' ');
}

function renderComparison(report: DebuggerReport): void {
  const cmp = report.comparison;
  show('comparison', cmp !== undefined);
  if (cmp === undefined) return;
  const differing = cmp.rows.filter((r) => r.differs).length;
  const verdict = element('verdict');
  verdict.className = cmp.identical ? 'same' : 'differs';
  verdict.textContent = cmp.identical ? 'The base strings are identical.' : `The base strings differ in ${differing} part${differing === 1 ? '' : 's'}.`;
  element('rows').replaceChildren(...cmp.rows.map(comparisonRow));
  const first = element('first-difference');
  first.replaceChildren();
  if (cmp.firstDifference !== undefined) {
    const label = document.createElement('p');
    label.textContent = `First difference at character ${cmp.firstDifference.index}:`;
    const ours = document.createElement('code');
    ours.textContent = `ours:   ${cmp.firstDifference.ours}`;
    const theirs = document.createElement('code');
    theirs.textContent = `theirs: ${cmp.firstDifference.theirs}`;
    first.append(label, ours, theirs);
  }
  element('hints').replaceChildren(
    ...cmp.hints.map((h) => {
      const li = document.createElement('li');
      li.textContent = h;
      return li;
    }),
  );
}

function render(report: DebuggerReport): void {
  const error = element('error-box');
  error.hidden = report.error === undefined && report.notes.length === 0;
  error.className = report.error !== undefined ? 'error' : 'note';
  error.textContent = [report.error, ...report.notes].filter(Boolean).join('\n');
  renderSigned(report);
  renderProvider(report);
  renderComparison(report);
}

function start(): void {
  const form = element<HTMLFormElement>('form');
  let generation = 0;
  const update = async (): Promise<void> => {
    const mine = ++generation;
    form.classList.toggle('rsa', field(form, 'signatureMethod').value.startsWith('RSA-'));
    const report = await analyse(readForm(form));
    // Only the latest input is shown, whatever order the answers arrive in.
    if (mine !== generation) return;
    render(report);
    document.body.dataset['state'] = 'ready';
  };
  const schedule = (): void => {
    document.body.dataset['state'] = 'busy';
    void update();
  };
  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  form.addEventListener('reset', () => setTimeout(schedule, 0));
  element('example').addEventListener('click', () => {
    form.reset();
    fillForm(form, X_EXAMPLE);
    schedule();
  });
  field(form, 'showSecrets').addEventListener('change', (event) => {
    const type = (event.target as HTMLInputElement).checked ? 'text' : 'password';
    for (const name of ['consumerSecret', 'tokenSecret']) (field(form, name) as HTMLInputElement).type = type;
  });
  schedule();
}

start();
