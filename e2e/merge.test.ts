import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appAndBrowser, leadRow as row, loopbackOnlyContext, signUpInBrowser } from './support.js';

// Near-duplicates are flagged, found with the "Possible duplicate" filter, and merged by a person
// who sees field by field what the kept lead ends with before confirming; the merge can be undone,
// and a pair that is not one business can be dismissed.

const stamp = Date.now().toString(36);
const app = appAndBrowser();

test('a person merges two leads of one business, undoes the merge, and dismisses the pair', async () => {
  const { context, blocked } = await loopbackOnlyContext(app.browser);
  const { page, tenantId, tenantUrl } = await signUpInBrowser(context, app.server, 'Maha Merge', `maha-${stamp}@example.test`);

  // Two entries for one clinic about 50 m apart (one with the phone, one with the website), and another business.
  const created = await page.evaluate(
    async ({ tenantId, leads }) => {
      const ids: string[] = [];
      for (const lead of leads) {
        const res = await fetch(`/api/v1/tenants/${tenantId}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(lead),
        });
        ids.push(((await res.json()) as { id: string }).id);
      }
      return ids;
    },
    {
      tenantId,
      leads: [
        { name: 'Smile Dental Clinic', lat: 24.7136, lon: 46.6753, phone: '+966 11 234 5678', city: 'Riyadh' },
        { name: 'Smile Dental', lat: 24.714, lon: 46.6754, website: 'https://smile-dental.example', notes: 'Wants a new site.' },
        { name: 'Pizza Palace', lat: 24.7137, lon: 46.6754 },
      ],
    },
  );
  const [kept, merged] = created;

  // The duplicates filter shows exactly the two, each marked.
  await page.goto(`${tenantUrl}/leads?attention=duplicate`);
  await row(page, 'Smile Dental').waitFor();
  assert.equal(await page.getByTestId('lead-row').count(), 2);
  assert.equal(await row(page, 'Smile Dental Clinic').getByTestId('possible-duplicate').count(), 1);

  // Select both and open the merge dialog: it keeps the first lead and fills the gaps from the other.
  await page.getByRole('checkbox', { name: 'Select Smile Dental Clinic', exact: true }).check();
  await page.getByRole('checkbox', { name: 'Select Smile Dental', exact: true }).check();
  await page.getByTestId('bulk-merge').click();
  const dialog = page.getByTestId('merge-dialog');
  await dialog.getByTestId('merge-fields').waitFor();
  const websiteRow = dialog.locator('[data-field="website"]');
  assert.equal(await websiteRow.getByRole('radio').isChecked(), true);
  // The person prefers the other lead's shorter name.
  await dialog.getByRole('radio', { name: 'Keep Name: Smile Dental', exact: true }).check();
  await dialog.getByTestId('merge-summary').getByText('Leads removed after the merge: 1.', { exact: false }).waitFor();
  await page.waitForFunction(() => !document.querySelector('[data-testid="merge-confirm"]')?.hasAttribute('disabled'));
  await dialog.getByTestId('merge-confirm').click();

  // The kept lead's page: the chosen name, the phone of one and the website of the other, and its sources.
  await page.waitForURL(new RegExp(`/leads/${kept}$`));
  await page.getByTestId('lead-name').getByText('Smile Dental', { exact: true }).waitFor();
  const facts = page.getByTestId('lead-facts');
  assert.match(await facts.innerText(), /\+966112345678/);
  assert.match(await facts.innerText(), /smile-dental\.example/);
  await page.getByTestId('lead-sources').getByTestId('lead-source').first().waitFor();

  // The table now has one clinic and no duplicates; the merged lead's old address lands on the kept lead, with a note.
  await page.goto(`${tenantUrl}/leads`);
  await row(page, 'Pizza Palace').waitFor();
  assert.equal(await page.getByTestId('lead-row').count(), 2);
  await page.goto(`${tenantUrl}/leads/${merged}`);
  await page.waitForURL(new RegExp(`/leads/${kept}\\?mergedFrom=${merged}$`));
  await page.getByTestId('merged-redirect-note').waitFor();

  // The kept lead lists the merge with its way back (the timeline's merge entry offers it too); the person undoes it.
  await page.getByTestId('activity-undo-merge').waitFor();
  await page.getByTestId('lead-merges').getByTestId('undo-merge').click();
  await page.getByTestId('confirm-button').click();
  await page.getByText('Merge undone: Smile Dental restored.').waitFor();
  await page.getByTestId('lead-merges').waitFor({ state: 'detached' });
  await page.getByTestId('lead-name').getByText('Smile Dental Clinic', { exact: true }).waitFor();
  assert.doesNotMatch(await page.getByTestId('lead-facts').innerText(), /smile-dental\.example/);

  // The other lead is back on its own page with its website, and the two are flagged again.
  await page.goto(`${tenantUrl}/leads/${merged}`);
  await page.getByTestId('lead-name').getByText('Smile Dental', { exact: true }).waitFor();
  assert.match(await page.getByTestId('lead-facts').innerText(), /smile-dental\.example/);
  const attention = page.getByTestId('lead-attention');
  await attention.getByTestId('attention-duplicate').waitFor();

  // The person says they are not the same business: the flag goes from both, and can be put back.
  await attention.getByTestId('dismiss-duplicate').click();
  await page.getByTestId('dismissed-duplicates').getByText('Smile Dental Clinic').waitFor();
  await attention.waitFor({ state: 'detached' });
  await page.goto(`${tenantUrl}/leads?attention=duplicate`);
  await page.getByText('No lead matches these filters.').waitFor();
  await page.goto(`${tenantUrl}/leads/${kept}`);
  await page.getByTestId('dismissed-duplicates').getByTestId('restore-duplicate').click();
  await page.getByTestId('lead-attention').getByTestId('attention-duplicate').waitFor();
  await page.getByTestId('dismissed-duplicates').waitFor({ state: 'detached' });
  assert.deepEqual(blocked, []);
  await context.close();
});
