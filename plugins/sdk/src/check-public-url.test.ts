import { findPrivateUrlProblem, isPrivateAddress } from './check-public-url.js';

describe('findPrivateUrlProblem', () => {
  it.each([
    'http://127.0.0.1:8080/cat.png',
    'http://169.254.169.254/latest/meta-data/',
    'http://10.1.2.3/x.png',
    'http://192.168.0.10/x.png',
    'http://[::1]/x.png',
    'http://[fd00:ec2::254]/',
    'http://localhost/x.png',
  ])('refuses %s', async (url) => {
    expect(await findPrivateUrlProblem(url)).toMatch(/private or local address/);
  });

  it('refuses other schemes', async () => {
    expect(await findPrivateUrlProblem('file:///etc/passwd')).toBe('must be an http(s) URL');
  });

  it('accepts public addresses', async () => {
    expect(await findPrivateUrlProblem('https://93.184.215.14/cat.png')).toBeUndefined();
    expect(isPrivateAddress('::ffff:10.0.0.1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
  });
});
