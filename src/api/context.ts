import { DefinitionService } from '../definitions/definition-service';
import type { DiagramTranslations } from '../definitions/translations';
import { HandlerRegistry } from '../handlers/registry';
import { UserDirectory } from '../identity/users';
import type { ApiStore } from '../persistence/api-store';
import { Clock } from '../clock';
import type { CalendarCorrections } from '../runtime/calendar-corrections';
import { ProcessRuntime } from '../runtime/process-runtime';
import { TimerScheduler } from '../scheduler/timer-scheduler';

/** What the HTTP layer needs of the host: services, and the reads of persistence (never the database itself). */
export interface HostContext {
  store: ApiStore;
  definitions: DefinitionService;
  /** Russian and English of the diagrams' texts (processes/i18n). */
  translations: DiagramTranslations;
  runtime: ProcessRuntime;
  scheduler: TimerScheduler;
  /** The working-time calendar in force and its corrections (PUT /api/calendar). */
  calendar: CalendarCorrections;
  users: UserDirectory;
  handlers: HandlerRegistry;
  clock: Clock;
  /** Working minutes between two instants by the business calendar (reports). */
  workingMinutes(from: Date, to: Date): number;
}
