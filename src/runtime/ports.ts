import type { LoadedDefinition } from '../definitions/definition-service';
import type { SourceContext } from '../engine/source-context';
import type { StepCommand, StepIdentity, StepOutcome } from '../engine/step';

/** Every due date of a step (task time limits, timer events), from the business calendar (calendar/due-dates.ts). */
export type { DueDates as DueDateCalculator } from '../calendar/due-dates';

/** The deployed definitions the runtime starts and steps (DefinitionService; a test gives parsed fixtures). */
export interface DefinitionSource {
  /** The version an application filed at `filedAt` starts on (the one in force on that date). */
  inForce(key: string, filedAt: Date): Promise<{ id: string }>;
  load(definitionId: string): Promise<LoadedDefinition>;
}

/** Runs one engine step of an instance in memory (the engine's StepRunner). */
export interface StepEngine {
  run(identity: StepIdentity, sourceContext: SourceContext, command: StepCommand): Promise<StepOutcome>;
}

/** The users of a group as they are now (identity's directory): a users-of-group form field takes one of them. */
export interface GroupMembers {
  members(group: string): readonly { id: string; name: string }[];
}
