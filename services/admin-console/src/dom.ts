/**
 * Elements built from values, never from markup: every string becomes a text node or an attribute value,
 * so a model or endpoint name from configuration, an upstream or a client can never run as HTML.
 */
export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes, set with setAttribute. */
  attrs?: Record<string, string | number | boolean | undefined>;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [name, handler] of Object.entries(props.on ?? {})) element.addEventListener(name, handler as EventListener);
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces what `parent` holds. */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

export interface Column<Row> {
  label: string;
  /** What the cell shows, as text or elements. */
  cell: (row: Row) => Child | Child[];
  numeric?: boolean;
}

/** A table whose cells name their column, so narrow screens can show each row as a card. */
export function table<Row>(columns: readonly Column<Row>[], rows: readonly Row[], empty: string, rowAttrs?: (row: Row) => Props['attrs']): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...columns.map((column) => h('th', { class: column.numeric ? 'num' : '', attrs: { scope: 'col' } }, column.label)))),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          h(
            'tr',
            { attrs: rowAttrs?.(row) },
            ...columns.map((column) => {
              const content = column.cell(row);
              // One child per cell, so the narrow layout's label and value stay side by side.
              return h('td', { class: column.numeric ? 'num' : '', attrs: { 'data-label': column.label } }, Array.isArray(content) ? h('span', {}, ...content) : content);
            }),
          ),
        ),
      ),
    ),
  );
}

export function tag(text: string, kind = ''): HTMLElement {
  return h('span', { class: `tag ${kind}`.trim() }, text);
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** A message about the page's own state (an error, a success) in a live region screen readers announce. */
export function notice(text: string, kind: 'error' | 'ok' | 'info' = 'info'): HTMLElement {
  return h('p', { class: `notice ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, text);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
