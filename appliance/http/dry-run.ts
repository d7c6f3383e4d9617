// Asks the custody rules whether a command would pass right now, without recording anything: decide() is
// pure, so the screens can show only what is legal and mark batch rows blocked with the rules' own words.
import type { Appliance } from '../appliance.ts';
import { decide } from '../domain/decide.ts';
import type { Actor, Command } from '../domain/types.ts';
import { plainTimes } from '../../ui/format.ts';

/** The refusal's sentence, or null when the command would be accepted. */
export function refusalOf(app: Appliance, actor: Actor, command: Command): string | null {
  const decision = decide(command, app.state(), app.decideContext(actor));
  return decision.ok ? null : plainTimes(decision.error.message);
}
