import { Command, CommandRunner } from 'nest-commander';
import { AuditService } from '@sandi/core';

@Command({ name: 'audit:verify', description: 'Walk the audit hash chain and name the first broken event' })
export class AuditVerifyCommand extends CommandRunner {
  constructor(private readonly audit: AuditService) {
    super();
  }

  async run(): Promise<void> {
    const result = await this.audit.verify();
    if (result.ok) {
      process.stdout.write(`Audit chain intact: ${result.checked} events, head ${result.headHash ?? '(empty)'}\n`);
    } else {
      process.stdout.write(
        `Audit chain BROKEN at event ${result.firstBroken?.seq}: ${result.firstBroken?.reason} (${result.checked} checked)\n`,
      );
      process.exitCode = 1;
    }
  }
}
