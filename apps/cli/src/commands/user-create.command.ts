import { Command, CommandRunner, Option } from 'nest-commander';
import { isRole, requestContext, UsersService, type Role } from '@sandi/core';
import { takeStdinSecret } from '../stdin-secret.js';

interface Options {
  username: string;
  fullName: string;
  email: string;
  role: Role[];
  passwordStdin?: boolean;
}

/**
 * Creates a user (the first admin of a fresh installation). The password is read from standard input
 * (--password-stdin) or from SANDI_USER_PASSWORD, never from the command line where `ps` would show it.
 */
@Command({ name: 'user:create', description: 'Create a user, e.g. the first admin' })
export class UserCreateCommand extends CommandRunner {
  constructor(private readonly users: UsersService) {
    super();
  }

  async run(_args: string[], options: Options): Promise<void> {
    // nest-commander presets boolean flags to their (undefined) default, so read the flag from argv too.
    const fromStdin = options.passwordStdin === true || process.argv.includes('--password-stdin');
    const password = fromStdin ? takeStdinSecret() : process.env.SANDI_USER_PASSWORD;
    if (!password) {
      process.stderr.write('Give the password on standard input with --password-stdin, or in SANDI_USER_PASSWORD.\n');
      process.exitCode = 2;
      return;
    }
    try {
      const user = await requestContext.runAsSystem('cli:user:create', () =>
        this.users.create(
          { username: options.username, fullName: options.fullName, email: options.email, roles: options.role, password },
          { mustChangePassword: false },
        ),
      );
      process.stdout.write(`Created user ${user.username} (${user.roles.join(', ')}) id ${user.id}\n`);
    } catch (e) {
      const err = e as { message?: string; extra?: { errors?: { field: string; message: string }[] } };
      process.stderr.write(`Could not create the user: ${err.message ?? String(e)}\n`);
      for (const fe of err.extra?.errors ?? []) process.stderr.write(`  ${fe.field}: ${fe.message}\n`);
      process.exitCode = 1;
    }
  }

  @Option({ flags: '-u, --username <username>', required: true })
  parseUsername(v: string) {
    return v;
  }

  @Option({ flags: '-n, --full-name <name>', required: true })
  parseFullName(v: string) {
    return v;
  }

  @Option({ flags: '-e, --email <email>', required: true })
  parseEmail(v: string) {
    return v;
  }

  @Option({ flags: '-r, --role <role>', description: 'Role to grant; repeat for several', required: true })
  parseRole(v: string, previous: Role[] = []) {
    if (!isRole(v)) throw new Error(`Unknown role '${v}'`);
    return [...previous, v];
  }

  @Option({ flags: '--password-stdin', description: 'Read the password from standard input' })
  parsePasswordStdin() {
    return true;
  }
}
