import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { RoleCode, RoleInfo, Unit, UpdateUserRequest, User } from '../../api/types';
import { Field, describedBy, fieldError } from '../../components/field';
import { ProblemAlert } from '../../components/problem-alert';
import { PasswordPolicyHint } from '../account/password-policy-hint';
import { flattenUnitTree, unitOptionLabel } from './unit-tree';

const CREATE_FIELDS = ['username', 'fullName', 'email', 'roles', 'unitId', 'password'];
const EDIT_FIELDS = ['fullName', 'email', 'roles', 'unitId'];

interface UserFormProps {
  /** Absent: create a user. Present: edit that user. */
  user?: User;
  roles: RoleInfo[];
  units: Unit[];
  onSaved: (user: User) => void;
  onCancel: () => void;
}

export function UserForm({ user, roles, units, onSaved, onCancel }: UserFormProps) {
  const { t, i18n } = useTranslation();
  const en = i18n.resolvedLanguage === 'en';
  const editing = !!user;
  const [username, setUsername] = useState(user?.username ?? '');
  const [fullName, setFullName] = useState(user?.fullName ?? '');
  const [email, setEmail] = useState(user?.email ?? '');
  const [selectedRoles, setSelectedRoles] = useState<RoleCode[]>(user?.roles ?? []);
  const [unitId, setUnitId] = useState(user?.unitId ?? '');
  const [password, setPassword] = useState('');
  const [active, setActive] = useState(user?.active ?? true);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);
  const tree = useMemo(() => flattenUnitTree(units), [units]);

  useEffect(() => firstField.current?.focus(), []);

  function toggleRole(code: RoleCode, on: boolean) {
    setSelectedRoles((prev) => (on ? [...prev, code] : prev.filter((r) => r !== code)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved: User;
      if (user) {
        const patch: UpdateUserRequest = {
          fullName: fullName.trim(),
          email: email.trim(),
          roles: selectedRoles,
          unitId: unitId || null,
          active,
        };
        // A position belongs to a unit; moving the user clears it rather than leaving a mismatch.
        if ((unitId || null) !== user.unitId && user.positionId) patch.positionId = null;
        saved = await api.users.update(user.id, patch);
      } else {
        saved = await api.users.create({
          username: username.trim(),
          fullName: fullName.trim(),
          email: email.trim(),
          roles: selectedRoles,
          ...(unitId ? { unitId } : {}),
          password,
        });
      }
      onSaved(saved);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const err = (field: string) => fieldError(error, field);
  const title = user ? t('users.editTitle', { username: user.username }) : t('users.createTitle');

  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy} aria-label={title} data-testid="user-form">
      <h2>{title}</h2>
      <ProblemAlert error={error} testId="user-form-error" inlineFields={editing ? EDIT_FIELDS : CREATE_FIELDS} />
      <div className="form-grid">
        {editing ? (
          <div className="field">
            <span className="label">{t('users.username')}</span>
            <span className="readonly" data-testid="user-form-username-readonly">
              {user.username}
            </span>
          </div>
        ) : (
          <Field id="user-form-username" label={t('users.username')} error={err('username')} required>
            <input
              ref={firstField}
              id="user-form-username"
              data-testid="user-form-username"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              {...describedBy('user-form-username', { error: err('username') })}
            />
          </Field>
        )}
        <Field id="user-form-fullname" label={t('users.fullName')} error={err('fullName')} required>
          <input
            ref={editing ? firstField : undefined}
            id="user-form-fullname"
            data-testid="user-form-fullname"
            autoComplete="off"
            required
            value={fullName}
            onChange={(e) => setFullName(e.target.value)}
            {...describedBy('user-form-fullname', { error: err('fullName') })}
          />
        </Field>
        <Field id="user-form-email" label={t('users.email')} error={err('email')} required>
          <input
            id="user-form-email"
            data-testid="user-form-email"
            type="email"
            autoComplete="off"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            {...describedBy('user-form-email', { error: err('email') })}
          />
        </Field>
        <Field id="user-form-unit" label={t('users.unit')} error={err('unitId')}>
          <select
            id="user-form-unit"
            data-testid="user-form-unit"
            value={unitId}
            onChange={(e) => setUnitId(e.target.value)}
            {...describedBy('user-form-unit', { error: err('unitId') })}
          >
            <option value="">{t('users.noUnit')}</option>
            {tree.map((node) => (
              <option key={node.unit.id} value={node.unit.id} disabled={!node.unit.active && node.unit.id !== unitId}>
                {unitOptionLabel(node)}
              </option>
            ))}
          </select>
        </Field>
      </div>

      <fieldset className="checkbox-group" data-testid="user-form-roles" aria-invalid={err('roles') ? true : undefined}>
        <legend>{t('users.roles')}</legend>
        {roles.length === 0 && <p className="muted">{t('common.loading')}</p>}
        <div className="checkbox-grid">
          {roles.map((r) => (
            <label key={r.code} className="checkbox">
              <input
                type="checkbox"
                data-testid={`user-form-role-${r.code}`}
                checked={selectedRoles.includes(r.code)}
                onChange={(e) => toggleRole(r.code, e.target.checked)}
              />
              <span>{en ? r.labelEn : r.labelId}</span>
            </label>
          ))}
        </div>
        {err('roles') && (
          <div className="field-error" data-testid="user-form-roles-error">
            {err('roles')}
          </div>
        )}
      </fieldset>

      {!editing && (
        <Field
          id="user-form-password"
          label={t('users.initialPassword')}
          error={err('password')}
          required
          hint={
            <>
              <p>{t('users.initialPasswordHint')}</p>
              <PasswordPolicyHint id="user-form-password-policy" password={password} username={username} />
            </>
          }
        >
          <input
            id="user-form-password"
            data-testid="user-form-password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            {...describedBy('user-form-password', { hint: true, error: err('password') })}
          />
        </Field>
      )}

      {editing && (
        <label className="checkbox">
          <input type="checkbox" data-testid="user-form-active" checked={active} onChange={(e) => setActive(e.target.checked)} />
          <span>{t('users.activeLabel')}</span>
        </label>
      )}

      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="user-form-submit" disabled={busy}>
          {busy ? t('common.saving') : editing ? t('common.save') : t('users.create')}
        </button>
        <button type="button" className="btn btn-secondary" data-testid="user-form-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function ResetPasswordForm({ user, onDone, onCancel }: { user: User; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.users.resetPassword(user.id, { password });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const title = t('users.resetTitle', { username: user.username });
  const pwError = fieldError(error, 'password');
  return (
    <form className="card form" onSubmit={(e) => void submit(e)} noValidate aria-label={title} data-testid="reset-password-form">
      <h2>{title}</h2>
      <p className="muted">{t('users.resetIntro')}</p>
      <ProblemAlert error={error} testId="reset-password-error" inlineFields={['password']} />
      <Field
        id="reset-password-input"
        label={t('users.newPassword')}
        error={pwError}
        required
        hint={<PasswordPolicyHint id="reset-password-policy" password={password} username={user.username} />}
      >
        <input
          ref={input}
          id="reset-password-input"
          data-testid="reset-password-input"
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          {...describedBy('reset-password-input', { hint: true, error: pwError })}
        />
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" data-testid="reset-password-submit" disabled={busy || !password}>
          {busy ? t('common.saving') : t('users.resetSubmit')}
        </button>
        <button type="button" className="btn btn-secondary" data-testid="reset-password-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
