import { useState } from 'react';
import { Badge, Button, Group, Modal, NativeSelect, Stack, Table, Text, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import type { BulkInviteResult, Membership, Role } from '@optarget/shared';
import { appApi } from '../api/app';
import { keys } from '../api/queries';
import { applyServerErrors } from '../lib/forms';
import { tDynamic, useT } from '../i18n';
import { FormError } from '../shell/states';
import { roleOptions } from './roles';

type Outcome = BulkInviteResult['results'][number]['outcome'];
const outcomeColor: Record<Outcome, string> = {
  INVITED: 'green',
  ALREADY_MEMBER: 'gray',
  ALREADY_INVITED: 'yellow',
  INVALID: 'red',
  DUPLICATE: 'gray',
  PLAN_LIMIT_EXCEEDED: 'orange',
};

export function BulkInviteModal({ opened, onClose, membership }: { opened: boolean; onClose: () => void; membership: Membership }) {
  const t = useT();
  const { tenantId, role: myRole } = membership;
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<BulkInviteResult | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { emails: '', role: 'MEMBER' as Role },
    validate: { emails: (v) => (v.trim() ? null : t('validation.emailsRequired')) },
  });

  const close = () => {
    form.reset();
    setResult(null);
    setError(null);
    onClose();
  };

  const submit = form.onSubmit(async ({ emails, role }) => {
    setError(null);
    setBusy(true);
    try {
      const res = await appApi.bulkInvite(tenantId, emails, role);
      setResult(res);
      await queryClient.invalidateQueries({ queryKey: keys.invites(tenantId) });
      void queryClient.invalidateQueries({ queryKey: keys.usage(tenantId) });
    } catch (e) {
      setError(applyServerErrors(form, e));
    } finally {
      setBusy(false);
    }
  });

  const invited = result?.results.filter((r) => r.outcome === 'INVITED').length ?? 0;

  return (
    <Modal opened={opened} onClose={close} title={t('team.bulk.title')} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="bulk-invite-form">
        <Stack gap="sm">
          <FormError message={error} />
          <Textarea
            label={t('team.bulk.addresses')}
            description={t('team.bulk.addressesHint')}
            autosize
            minRows={4}
            maxRows={12}
            autoFocus
            data-autofocus
            data-testid="bulk-invite-emails"
            {...form.getInputProps('emails')}
          />
          <NativeSelect
            label={t('team.bulk.role')}
            data={roleOptions(myRole)}
            data-testid="bulk-invite-role-select"
            w={200}
            {...form.getInputProps('role')}
          />
          <Group justify="flex-end">
            <Button variant="default" type="button" onClick={close}>
              {t('common.close')}
            </Button>
            <Button type="submit" loading={busy}>
              {t('team.bulk.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      {result && (
        <Stack gap="xs" mt="lg" data-testid="bulk-invite-results">
          <Text size="sm" fw={600}>
            {t('team.bulk.summary', { invited, total: result.results.length })}
          </Text>
          <Table.ScrollContainer minWidth={480}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('team.bulk.email')}</Table.Th>
                  <Table.Th>{t('team.bulk.outcome')}</Table.Th>
                  <Table.Th>{t('team.bulk.message')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.results.map((r, i) => (
                  <Table.Tr key={`${r.email}-${i}`} data-testid="bulk-result-row" data-outcome={r.outcome}>
                    <Table.Td>
                      <Text size="sm">{r.email}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={outcomeColor[r.outcome] ?? 'gray'} variant="light">
                        {tDynamic(`team.bulk.outcome.${r.outcome}`, r.outcome)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {tDynamic(`team.bulk.reason.${r.outcome}`, r.message)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Stack>
      )}
    </Modal>
  );
}
