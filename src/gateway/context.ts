/** What every resolver of one request shares: its loaders, link settings and trace. */
import type { SourceCall } from '../../connectors/contract.js';
import type { LinkSettings } from '../identity/link.js';
import type { Loaders } from '../loading/loaders.js';

export interface RequestContext {
  readonly requestId: string;
  readonly loaders: Loaders;
  readonly link: LinkSettings;
  /** Source calls of this request, when the client asked for a trace (x-c360-trace: 1). */
  readonly trace: SourceCall[] | undefined;
}
