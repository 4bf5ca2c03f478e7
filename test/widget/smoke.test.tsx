import { render } from 'preact';
import { expect, it } from 'vitest';
it('renders preact in happy-dom', () => {
  const el = document.createElement('div');
  render(<p>hi</p>, el);
  expect(el.textContent).toBe('hi');
});
