// Screen 2: sign in with the PIN pad. Each operator's PIN lock comes from the log (appliance.lockOf).
import type { SignInData } from '../../../ui/view-types.ts';
import type { ScreenContext, ScreenSpec } from './spec.ts';

export function signInScreen(c: ScreenContext): ScreenSpec {
  const now = c.app.now().getTime();
  const operators = [...c.app.state().operators.values()].filter((o) => o.active).sort((a, b) => a.name.localeCompare(b.name)).map((o) => {
    const lock = c.app.lockOf(o);
    return {
      id: o.id, name: o.name, role: o.role, triesLeft: lock.triesLeft,
      lockedMinutes: lock.until ? Math.max(1, Math.ceil((lock.until.getTime() - now) / 60_000)) : 0,
    };
  });
  const data: SignInData = { operators };
  return { screen: 'sign-in', title: 'Sign in', tag: 'sign-in-screen', data };
}
