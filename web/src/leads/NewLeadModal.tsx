import { useState } from 'react';
import { Alert, Button, Group, Modal, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { isLeadEmail, type LeadStatus, type LeadFieldsBody } from '@optarget/shared';
import { ApiError } from '../api/client';
import { leadKeys, leadsApi } from '../api/leads';
import { applyServerErrors } from '../lib/forms';
import { AnchorLink } from '../lib/links';
import { tDynamic, useT } from '../i18n';
import { FormError } from '../shell/states';
import { statusOptions } from './hooks';

type Values = {
  name: string;
  category: string;
  phone: string;
  email: string;
  website: string;
  address: string;
  city: string;
  country: string;
  status: LeadStatus;
  tags: string[];
  notes: string;
};
const empty: Values = {
  name: '',
  category: '',
  phone: '',
  email: '',
  website: '',
  address: '',
  city: '',
  country: '',
  status: 'NEW',
  tags: [],
  notes: '',
};

const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export function toLeadBody(v: Omit<Values, 'status' | 'tags' | 'notes'>): LeadFieldsBody {
  return {
    name: v.name.trim(),
    category: orNull(v.category),
    phone: orNull(v.phone),
    email: orNull(v.email),
    website: orNull(v.website),
    address: orNull(v.address),
    city: orNull(v.city),
    country: orNull(v.country),
  };
}

export function useLeadValidators() {
  const t = useT();
  const max = (n: number) => (v: string) => (v.trim().length > n ? t('leads.validation.tooLong', { max: n }) : null);
  return {
    name: (v: string) => (v.trim() === '' ? t('leads.validation.nameRequired') : max(300)(v)),
    category: max(200),
    address: max(500),
    city: max(200),
    country: max(100),
    phone: max(50),
    email: (v: string) => (v.trim() !== '' && !isLeadEmail(v) ? t('leads.validation.email') : null),
    website: max(2000),
  };
}

interface Problem {
  kind: 'duplicate' | 'plan';
  existingLeadId?: string;
  matchedOn?: string;
}

export function NewLeadModal({ tenantId, opened, onClose }: { tenantId: string; opened: boolean; onClose: () => void }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useForm<Values>({ mode: 'controlled', initialValues: empty, validate: useLeadValidators() });

  const close = () => {
    form.reset();
    setError(null);
    setProblem(null);
    onClose();
  };

  const submit = form.onSubmit(async (v) => {
    setError(null);
    setProblem(null);
    setBusy(true);
    try {
      const lead = await leadsApi.create(tenantId, { ...toLeadBody(v), status: v.status, tags: v.tags, notes: orNull(v.notes) });
      notifications.show({ color: 'green', message: t('leads.create.created', { name: lead.name }) });
      await queryClient.invalidateQueries({ queryKey: leadKeys.all(tenantId) });
      close();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        const body = (e.body ?? {}) as { existingLeadId?: unknown; matchedOn?: unknown };
        setProblem({
          kind: 'duplicate',
          existingLeadId: typeof body.existingLeadId === 'string' ? body.existingLeadId : undefined,
          matchedOn: typeof body.matchedOn === 'string' ? body.matchedOn : undefined,
        });
      } else if (e instanceof ApiError && e.status === 402) {
        setProblem({ kind: 'plan' });
        setError(e.message);
      } else {
        setError(applyServerErrors(form, e));
      }
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={close} title={t('leads.create.title')} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="new-lead-form">
        <Stack gap="sm">
          {problem?.kind === 'duplicate' && (
            <Alert color="yellow" role="alert" data-testid="duplicate-lead">
              {t('leads.create.duplicate', { matchedOn: tDynamic(`leads.matchedOn.${problem.matchedOn}`, problem.matchedOn ?? '') })}{' '}
              {problem.existingLeadId && (
                <AnchorLink to="/t/$tenantId/leads/$leadId" params={{ tenantId, leadId: problem.existingLeadId }} onClick={close}>
                  {t('leads.create.duplicateLink')}
                </AnchorLink>
              )}
            </Alert>
          )}
          {problem?.kind === 'plan' ? (
            <Alert color="red" role="alert">
              {error ?? t('leads.create.planLimit')}{' '}
              <AnchorLink to="/t/$tenantId/plan" params={{ tenantId }} onClick={close}>
                {t('leads.create.planLink')}
              </AnchorLink>
            </Alert>
          ) : (
            <FormError message={error} />
          )}
          <TextInput label={t('lead.field.name')} data-autofocus {...form.getInputProps('name')} />
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('lead.field.category')} {...form.getInputProps('category')} />
            <Select label={t('lead.field.status')} data={statusOptions()} allowDeselect={false} {...form.getInputProps('status')} />
            <TextInput label={t('lead.field.phone')} type="tel" dir="ltr" {...form.getInputProps('phone')} />
            <TextInput label={t('lead.field.email')} type="email" dir="ltr" {...form.getInputProps('email')} />
            <TextInput label={t('lead.field.website')} dir="ltr" placeholder="example.com" {...form.getInputProps('website')} />
            <TextInput label={t('lead.field.address')} {...form.getInputProps('address')} />
            <TextInput label={t('lead.field.city')} {...form.getInputProps('city')} />
            <TextInput label={t('lead.field.country')} description={t('lead.countryHint')} {...form.getInputProps('country')} />
          </SimpleGrid>
          <TagsInput label={t('lead.field.tags')} placeholder={t('lead.tagsPlaceholder')} maxTags={50} {...form.getInputProps('tags')} />
          <Textarea label={t('lead.field.notes')} autosize minRows={2} maxRows={6} {...form.getInputProps('notes')} />
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('leads.create.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
