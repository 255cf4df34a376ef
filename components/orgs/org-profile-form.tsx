'use client';
import { useTranslations } from 'next-intl';
import { useActionState, useState } from 'react';
import { createOrganizationAction, findSimilarOrganizationsAction, updateOrganizationProfileAction } from '@/app/_actions/orgs';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { TextArea } from '@/components/ui/textarea';

type Profile = { name: string; names: Partial<Record<string, string>>; city: string | null; country: string | null; website: string | null; description: string | null };
type Similar = { id: string; slug: string; name: string; city: string | null };

/** `next`: when creating from a statement-invitation landing, go back there (see createOrgSchema). */
export function OrgProfileForm({ orgId, initial, next }: { orgId?: string; initial?: Profile; next?: string }) {
  const t = useTranslations();
  const [state, formAction, pending] = useActionState(orgId ? updateOrganizationProfileAction : createOrganizationAction, null);
  const [similar, setSimilar] = useState<Similar[]>([]);
  const fe = (k: string) => {
    const m = state && !state.ok ? state.fieldErrors?.[k]?.[0] : undefined;
    return m ? t(m) : undefined;
  };
  async function checkName(name: string) {
    if (orgId || name.trim().length < 3) return setSimilar([]);
    const r = await findSimilarOrganizationsAction({ name });
    setSimilar(r.ok ? r.data : []);
  }
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      {orgId ? <input type="hidden" name="orgId" value={orgId} /> : null}
      {!orgId && next ? <input type="hidden" name="next" value={next} /> : null}
      <Field id="org-name" name="name" label={t('orgs.fieldName')} required maxLength={200} defaultValue={initial?.name} error={fe('name')} onBlur={(e) => void checkName(e.currentTarget.value)} />
      {similar.length > 0 ? (
        <Alert tone="warn">
          <p className="font-semibold">{t('orgs.similarWarning')}</p>
          <ul className="my-2 list-disc pl-5">
            {similar.map((s) => (
              <li key={s.id}>
                {s.name}
                {s.city ? ` (${s.city})` : ''}
              </li>
            ))}
          </ul>
          <label className="flex items-center gap-2">
            <input type="checkbox" name="confirmDistinct" value="on" className="h-4 w-4" />
            {t('orgs.confirmDistinct')}
          </label>
        </Alert>
      ) : null}
      <fieldset className="grid gap-3 sm:grid-cols-3">
        <legend className="mb-1 text-sm text-muted">{t('orgs.namesLegend')}</legend>
        <Field id="org-name-hy" name="name_hy" lang="hy" label={t('orgs.fieldNameHy')} maxLength={200} defaultValue={initial?.names.hy ?? ''} error={fe('name_hy')} />
        <Field id="org-name-en" name="name_en" lang="en" label={t('orgs.fieldNameEn')} maxLength={200} defaultValue={initial?.names.en ?? ''} error={fe('name_en')} />
        <Field id="org-name-ru" name="name_ru" lang="ru" label={t('orgs.fieldNameRu')} maxLength={200} defaultValue={initial?.names.ru ?? ''} error={fe('name_ru')} />
      </fieldset>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id="org-city" name="city" label={t('orgs.fieldCity')} maxLength={120} defaultValue={initial?.city ?? ''} error={fe('city')} />
        <Field id="org-country" name="country" label={t('orgs.fieldCountry')} maxLength={120} defaultValue={initial?.country ?? ''} error={fe('country')} />
      </div>
      <Field id="org-website" name="website" type="url" inputMode="url" placeholder="https://" label={t('orgs.fieldWebsite')} defaultValue={initial?.website ?? ''} error={fe('website')} />
      <TextArea id="org-description" name="description" label={t('orgs.fieldDescription')} maxLength={2000} defaultValue={initial?.description ?? ''} error={fe('description')} />
      {state && !state.ok && !state.fieldErrors ? <Alert>{t(state.message)}</Alert> : null}
      {state?.ok && orgId ? <Alert tone="ok">{t('orgs.saved')}</Alert> : null}
      <div>
        <Button type="submit" disabled={pending} aria-busy={pending}>
          {orgId ? t('orgs.saveProfile') : t('orgs.create')}
        </Button>
      </div>
    </form>
  );
}
