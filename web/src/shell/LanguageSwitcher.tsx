import { Box, Button, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { localeOptions, useI18n, type Locale } from '../i18n';

/** Lists each language in itself, so someone who cannot read the current one still finds theirs. */
export function LanguageSwitcher() {
  const { t, locale, setLocale } = useI18n();
  const current = localeOptions.find((l) => l.value === locale);
  const choose = (l: Locale) => {
    setLocale(l).catch(() => notifications.show({ color: 'red', message: t('shell.languageUnavailable') }));
  };
  return (
    <Menu position="bottom-end" width={180} shadow="md">
      <Menu.Target>
        <Button
          variant="subtle"
          color="gray"
          size="compact-sm"
          leftSection={<IconLanguage size={16} />}
          aria-label={`${t('shell.language')}: ${current?.name ?? locale}`}
          data-testid="language-switcher"
        >
          <Box component="span" visibleFrom="xs">
            {current?.name}
          </Box>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.language')}</Menu.Label>
        {localeOptions.map((l) => (
          <Menu.Item
            key={l.value}
            lang={l.value}
            dir={l.dir}
            aria-current={l.value === locale ? 'true' : undefined}
            leftSection={l.value === locale ? <IconCheck size={16} /> : <span style={{ width: 16 }} />}
            onClick={() => choose(l.value)}
          >
            {l.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
