import { DefinitionService } from '../definitions/definition-service';
import type { DiagramTranslations } from '../definitions/translations';
import { HandlerRegistry } from '../handlers/registry';
import { UserDirectory } from '../identity/users';
import type { SessionRecords } from '../identity/web-sessions';
import type { ApiStore } from '../persistence/api-store';
import { Clock } from '../clock';
import type { EdsResult } from '../crypto/verifier';
import type { CalendarCorrections } from '../runtime/calendar-corrections';
import type { Attachments } from '../runtime/attachments';
import type { SqlSigningDraftStore } from '../persistence/signing-draft-store';
import { ProcessRuntime } from '../runtime/process-runtime';
import type { ExternalTasks } from '../runtime/external-tasks';
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
  /** Where the web app's sessions are kept (the database: every server on it shares them). */
  sessions: SessionRecords;
  handlers: HandlerRegistry;
  clock: Clock;
  /** Documents attached to applications at their tasks (stored in the database with their bytes). */
  attachments: Attachments;
  /** The drafts people sign at signing steps, and their signatures (src/api/routes/signing.ts). */
  signingDrafts: SqlSigningDraftStore;
  /** Where the web app tells the signer's browser to reach NCALayer (NCALAYER_URL). */
  ncalayerUrl: string;
  /** The EDS verifier the intake uses (trusted roots, CRLs), to say whether a signed document in a case is valid; absent: not configured. */
  signatures?: SignatureVerification;
  /** Service tasks waiting for external workers (EXTERNAL_TASK_TOPICS), on /engine-rest/external-task. */
  externalTasks?: ExternalTasks;
  /** Working minutes between two instants by the business calendar (reports). */
  workingMinutes(from: Date, to: Date): number;
}

/** What an EdsService offers (src/integrations/eds): its verifier, loaded when first asked for. */
export interface SignatureVerification {
  verifier(): Promise<{ verify(signed: unknown, applicantIinBin: string | undefined, now: Date): Promise<EdsResult> }>;
}
