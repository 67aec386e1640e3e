import { describe, expect, it } from 'vitest';
import { endSession, type EndSessionSteps } from './logout';

function steps(fail: { logout?: boolean; refresh?: boolean }) {
  const log: string[] = [];
  const s: EndSessionSteps = {
    flush: async () => void log.push('flush'),
    cover: () => void log.push('cover'),
    logout: async () => {
      log.push('logout');
      if (fail.logout) throw new Error('log out failed');
    },
    report: () => void log.push('report'),
    forget: () => void log.push('forget'),
    refresh: async () => {
      log.push('refresh');
      if (fail.refresh) throw new Error('status failed');
    },
  };
  return { s, log };
}

describe('endSession', () => {
  it('covers the screen before it asks the backend', async () => {
    const { s, log } = steps({});
    await endSession(s);
    expect(log).toEqual(['flush', 'cover', 'logout', 'forget', 'refresh']);
  });

  it('keeps the screen covered when the log out fails, and still forgets the session', async () => {
    const { s, log } = steps({ logout: true });
    await endSession(s);
    expect(log).toEqual(['flush', 'cover', 'logout', 'report', 'forget', 'refresh']);
    expect(log.indexOf('cover')).toBeLessThan(log.indexOf('logout'));
  });

  it('has covered the screen when the status cannot be read either', async () => {
    const { s, log } = steps({ logout: true, refresh: true });
    await expect(endSession(s)).rejects.toThrow('status failed');
    expect(log).toEqual(['flush', 'cover', 'logout', 'report', 'forget', 'refresh']);
  });
});
