import { Anchor, Text } from '@mantine/core';
import { useT } from '../i18n';

/** Required wherever OpenStreetMap data is shown (ODbL). */
export function OsmAttribution() {
  const t = useT();
  return (
    <Text size="xs" c="dimmed" data-testid="osm-attribution">
      <Anchor href="https://www.openstreetmap.org/copyright" target="_blank" rel="noopener noreferrer" size="xs" inherit>
        {t('osm.attribution')}
      </Anchor>
    </Text>
  );
}
