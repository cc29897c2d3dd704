import { useTranslation } from 'react-i18next';
import { MIN_PASSWORD_LENGTH, checkPassword, type PolicyRule } from './password-policy';

const RULES: readonly PolicyRule[] = ['length', 'upper', 'lower', 'digit', 'symbol', 'username'];

/** Live checklist; each item carries data-ok so tests can read it. */
export function PasswordPolicyHint({ id, password, username }: { id: string; password: string; username: string }) {
  const { t } = useTranslation();
  const result = checkPassword(password, username);
  return (
    <div id={id} className="policy" data-testid="password-policy">
      <span>{t('password.policy.title')}</span>
      <ul>
        {RULES.map((rule) => (
          <li key={rule} className={result[rule] ? 'ok' : 'todo'} data-ok={result[rule]} data-rule={rule}>
            <span className="visually-hidden">{result[rule] ? t('password.policy.met') : t('password.policy.unmet')}: </span>
            {t(`password.policy.${rule}`, { min: MIN_PASSWORD_LENGTH })}
          </li>
        ))}
      </ul>
    </div>
  );
}
