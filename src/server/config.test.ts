import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('reads PORT as a plain decimal port number', () => {
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it('treats an empty or blank PORT as unset, not as port 0 (a random port)', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(loadConfig({ PORT: ' ' }).port).toBe(3000);
  });

  it.each(['0x1F90', '1e3', '8080.0', '+80', '-1', '65536', '123456', 'http', '80 80'])('refuses PORT=%j with one line', (value) => {
    expect(() => loadConfig({ PORT: value })).toThrow(/^PORT must be a port number$/);
  });
});
