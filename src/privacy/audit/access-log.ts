/** What one request touched of personal data, gathered while it runs and audited once at its end. */
import type { CustomerHandle } from '../../identity/customer-handle.js';

export type AccessOutcome = 'allowed' | 'denied';

export class AccessLog {
  /** Schema coordinates (Customer.email) with the outcome; denied wins when both happen. */
  readonly fields = new Map<string, AccessOutcome>();
  readonly customers = new Set<CustomerHandle>();
  /** Customer ids known without a handle (GDPR export, partner calls). */
  readonly customerIds = new Set<string>();

  noteField(coordinate: string, outcome: AccessOutcome): void {
    if (this.fields.get(coordinate) !== 'denied') this.fields.set(coordinate, outcome);
  }

  get touchedPersonalData(): boolean {
    return this.fields.size > 0;
  }
}
