import { DataSource } from 'typeorm';
import { DefinitionService } from '../definitions/definition-service';
import { HandlerRegistry } from '../handlers/registry';
import { UserDirectory } from '../identity/users';
import { Clock } from '../clock';
import { ProcessRuntime } from '../runtime/process-runtime';

/** What the HTTP layer needs of the host. */
export interface HostContext {
  dataSource: DataSource;
  definitions: DefinitionService;
  runtime: ProcessRuntime;
  users: UserDirectory;
  handlers: HandlerRegistry;
  clock: Clock;
  /** Working minutes between two instants by the business calendar (reports). */
  workingMinutes(from: Date, to: Date): number;
}
