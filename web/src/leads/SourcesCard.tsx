import { Anchor, Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { LeadSourceEntry } from '@optarget/shared';
import { leadKeys, leadsApi } from '../api/leads';
import { tDynamic, useI18n } from '../i18n';
import { PageLoader, QueryState } from '../shell/states';

/** Where a source's id can be opened: the place on OpenStreetMap or Google Maps. */
function linkOf(entry: LeadSourceEntry): string | null {
  if (!entry.sourceId) return null;
  if (entry.source === 'osm' && /^(node|way|relation)\/\d+$/.test(entry.sourceId)) return `https://www.openstreetmap.org/${entry.sourceId}`;
  if (entry.source === 'google') return `https://www.google.com/maps/place/?q=place_id:${encodeURIComponent(entry.sourceId)}`;
  return null;
}

/** Every source that found or gave the lead, and which of its facts each one filled. */
export function SourcesCard({ tenantId, leadId }: { tenantId: string; leadId: string }) {
  const { t, formatDateTime } = useI18n();
  const sources = useQuery({ queryKey: leadKeys.sources(tenantId, leadId), queryFn: () => leadsApi.sources(tenantId, leadId) });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="lead-sources">
      <Title order={2} size="h4" mb="sm">
        {t('lead.sources')}
      </Title>
      <QueryState
        query={sources}
        loading={<PageLoader rows={2} />}
        isEmpty={(d) => d.items.length === 0}
        empty={
          <Text size="sm" c="dimmed">
            {t('lead.sources.empty')}
          </Text>
        }
      >
        {(data) => (
          <Stack gap="sm">
            {data.items.map((entry) => {
              const link = linkOf(entry);
              return (
                <Stack key={`${entry.source}:${entry.sourceId ?? ''}`} gap={2} data-testid="lead-source" data-source={entry.source}>
                  <Group gap="xs" wrap="wrap">
                    <Badge variant="light">{tDynamic(`lead.source.${entry.source}`, entry.source)}</Badge>
                    {entry.sourceId &&
                      (link ? (
                        <Anchor href={link} target="_blank" rel="noopener noreferrer" size="xs" dir="ltr">
                          {entry.sourceId}
                        </Anchor>
                      ) : (
                        <Text size="xs" dir="ltr">
                          {entry.sourceId}
                        </Text>
                      ))}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {t('lead.sources.seen', { first: formatDateTime(entry.firstSeenAt), last: formatDateTime(entry.lastSeenAt) })}
                  </Text>
                  <Text size="xs">
                    {entry.fields.length
                      ? t('lead.sources.gave', { fields: entry.fields.map((f) => tDynamic(`merge.fields.${f}`, f)).join(', ') })
                      : t('lead.sources.gaveNothing')}
                  </Text>
                </Stack>
              );
            })}
          </Stack>
        )}
      </QueryState>
    </Card>
  );
}
