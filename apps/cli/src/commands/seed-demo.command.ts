import { Command, CommandRunner } from 'nest-commander';
import { DEMO_PASSWORD, DemoSeedService } from '@sandi/core';

@Command({ name: 'seed:demo', description: 'Seed the demo organisation and users into an empty database' })
export class SeedDemoCommand extends CommandRunner {
  constructor(private readonly seed: DemoSeedService) {
    super();
  }

  async run(): Promise<void> {
    const logins = await this.seed.seedIfEmpty();
    if (!logins) {
      process.stdout.write('The database already holds data; nothing seeded.\n');
      return;
    }
    process.stdout.write(
      `Seeded. Password for every demo user: ${DEMO_PASSWORD}\n${logins.map((l) => `  ${l.username}  ${l.label}`).join('\n')}\n`,
    );
  }
}
