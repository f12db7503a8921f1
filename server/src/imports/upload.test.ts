import { beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApp, type SignedUpUser, type TestApp } from '../test/harness.js';
import { addPerson } from '../team/test-users.js';
import { encodeWindows1256, leadsOf, storedUploadsOf, uploadCsv } from './test-helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});

const csv = (...lines: string[]) => lines.join('\r\n') + '\r\n';

describe('uploading a CSV file for import', () => {
  let owner: SignedUpUser;
  beforeAll(async () => {
    owner = await signUp(t, { name: 'Importer' });
  });

  it('reads a UTF-8 comma file without BOM: headers, the first 10 rows, the row count and a suggested mapping', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => `Shop ${i},+966 50 000 00${String(i).padStart(2, '0')},Riyadh`);
    const res = await uploadCsv(t, owner.client, owner.tenantId, csv('Name,Phone,City', ...rows), 'shops.csv');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      fileName: 'shops.csv',
      encoding: 'utf-8',
      delimiter: ',',
      headers: ['Name', 'Phone', 'City'],
      rowCount: 12,
      suggestedMapping: { '0': 'name', '1': 'phone', '2': 'city' },
    });
    expect(res.body.preview).toHaveLength(10);
    expect(res.body.preview[0]).toEqual(['Shop 0', '+966 50 000 0000', 'Riyadh']);

    const again = await owner.client.get(`/api/v1/tenants/${owner.tenantId}/imports/${res.body.id}`);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
  });

  it('reads UTF-8 with a BOM and Arabic text, and maps Arabic headers', async () => {
    const text =
      '\uFEFF' +
      csv(
        'الاسم,رقم الهاتف,البريد الإلكتروني,الموقع الإلكتروني,العنوان,المدينة,الدولة,التصنيف,ملاحظات',
        'مطعم السلام,0501234567,info@salam.sa,salam.sa,شارع الملك,الرياض,السعودية,مطعم,عميل جديد',
      );
    const res = await uploadCsv(t, owner.client, owner.tenantId, text);
    expect(res.status).toBe(201);
    expect(res.body.encoding).toBe('utf-8');
    expect(res.body.headers[0]).toBe('الاسم');
    expect(res.body.preview[0][0]).toBe('مطعم السلام');
    expect(res.body.suggestedMapping).toEqual({
      '0': 'name',
      '1': 'phone',
      '2': 'email',
      '3': 'website',
      '4': 'address',
      '5': 'city',
      '6': 'country',
      '7': 'category',
      '8': 'notes',
    });
  });

  it('reads UTF-16 LE with a BOM (Excel "Unicode text") and finds the tab delimiter', async () => {
    const text = '\uFEFF' + csv('Company\tPhone\tCity', 'مخبز الرياض\t0112345678\tالرياض', 'Bakery Two\t0112345679\tJeddah');
    const res = await uploadCsv(t, owner.client, owner.tenantId, Buffer.from(text, 'utf16le'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', headers: ['Company', 'Phone', 'City'], rowCount: 2 });
    expect(res.body.preview[0]).toEqual(['مخبز الرياض', '0112345678', 'الرياض']);
  });

  it('reads a Windows-1256 Arabic export and finds the semicolon delimiter', async () => {
    const bytes = encodeWindows1256(csv('Name;City;Notes', 'مطعم البحر;الرياض;عميل', 'مكتبة النور;جدة;"قديم; مهم"'));
    const res = await uploadCsv(t, owner.client, owner.tenantId, bytes);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ encoding: 'windows-1256', delimiter: ';', rowCount: 2 });
    expect(res.body.preview).toEqual([
      ['مطعم البحر', 'الرياض', 'عميل'],
      ['مكتبة النور', 'جدة', 'قديم; مهم'],
    ]);
  });

  it('finds the pipe delimiter and ignores delimiters inside quoted cells', async () => {
    const res = await uploadCsv(t, owner.client, owner.tenantId, csv('Name|Notes', '"A, B; C"|"x|y"', 'D|e'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ delimiter: '|', headers: ['Name', 'Notes'] });
    expect(res.body.preview[0]).toEqual(['A, B; C', 'x|y']);
  });

  it('suggests the mapping of an Apollo export (the company, not the person title, is the name)', async () => {
    const headers =
      'First Name,Last Name,Title,Company,Company Name for Emails,Email,Email Status,Corporate Phone,Mobile Phone,# Employees,Industry,Website,Company Linkedin Url,City,Country,Company Address,Apollo Account Id';
    const res = await uploadCsv(
      t,
      owner.client,
      owner.tenantId,
      csv(
        headers,
        'Sara,Ali,CEO,Acme,Acme,sara@acme.com,Verified,+966112223344,,50,Retail,https://acme.com,,Riyadh,Saudi Arabia,King Rd,abc',
      ),
    );
    expect(res.status).toBe(201);
    expect(res.body.suggestedMapping).toEqual({
      '3': 'name',
      '5': 'email',
      '7': 'phone',
      '10': 'category',
      '11': 'website',
      '13': 'city',
      '14': 'country',
      '15': 'address',
    });
  });

  it('suggests the mapping of a HubSpot companies export', async () => {
    const headers = 'Record ID,Company name,Company Domain Name,Phone Number,Street Address,City,Country/Region,Industry,Description';
    const res = await uploadCsv(
      t,
      owner.client,
      owner.tenantId,
      csv(headers, '1,Acme,acme.com,+966112223344,King Rd,Riyadh,Saudi Arabia,Retail,Good'),
    );
    expect(res.status).toBe(201);
    expect(res.body.suggestedMapping).toEqual({
      '1': 'name',
      '2': 'website',
      '3': 'phone',
      '4': 'address',
      '5': 'city',
      '6': 'country',
      '7': 'category',
      '8': 'notes',
    });
  });

  it('suggests the mapping of a Google Maps scraper export (the place link "url" loses to "website")', async () => {
    const headers =
      'title,totalScore,reviewsCount,street,city,countryCode,website,phone,categoryName,url,placeId,location/lat,location/lng';
    const row =
      'Cafe One,4.5,120,Olaya St,Riyadh,SA,https://cafe.one,+966 11 222 3344,Cafe,https://maps.google.com/?cid=1,ChIJ123,24.7,46.6';
    const res = await uploadCsv(t, owner.client, owner.tenantId, csv(headers, row));
    expect(res.status).toBe(201);
    expect(res.body.suggestedMapping).toEqual({
      '0': 'name',
      '1': 'rating',
      '2': 'reviewCount',
      '3': 'address',
      '4': 'city',
      '5': 'country',
      '6': 'website',
      '7': 'phone',
      '8': 'category',
      '10': 'sourceId',
      '11': 'lat',
      '12': 'lon',
    });
  });

  it('accepts ragged rows at upload (they are reported per row by the import)', async () => {
    const res = await uploadCsv(t, owner.client, owner.tenantId, csv('Name,Phone', 'A,1', 'B', 'C,3,extra'));
    expect(res.status).toBe(201);
    expect(res.body.rowCount).toBe(3);
  });
});

describe('refusing files that are not importable, storing nothing', () => {
  const refused = async (content: Buffer | string, status = 400) => {
    const user = await signUp(t, { name: 'Refused' });
    const res = await uploadCsv(t, user.client, user.tenantId, content);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(await storedUploadsOf(t, user.tenantId)).toEqual({ uploads: 0, chunks: 0 });
    expect(await leadsOf(t, user.tenantId)).toHaveLength(0);
    return res.body;
  };

  it('an empty file', async () => {
    const body = await refused('');
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED', detail: 'The file is empty.', fields: [{ field: 'file', rule: 'fileEmpty' }] });
  });

  it('a file of blank lines', async () => {
    expect(await refused('\r\n\r\n  \r\n')).toMatchObject({ detail: 'The file is empty.', fields: [{ rule: 'fileEmpty' }] });
  });

  it('a file with only a header row', async () => {
    expect(await refused('Name,Phone,City\r\n')).toMatchObject({
      detail: 'The file has a header row but no data rows.',
      fields: [{ rule: 'fileNoRows' }],
    });
  });

  it('a binary file (a PNG renamed to .csv)', async () => {
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      Buffer.from('IHDR'),
      Buffer.alloc(200, 7),
    ]);
    expect(await refused(png)).toMatchObject({ detail: expect.stringMatching(/not a CSV text file/), fields: [{ rule: 'fileNotText' }] });
  });

  it('text in an encoding that is not UTF-8, UTF-16 or Windows-1256 (garbage when read as any of them)', async () => {
    // Latin-1 box-drawing and currency bytes: invalid UTF-8, and symbols rather than letters in Windows-1256.
    const garbage = Buffer.concat([
      Buffer.from('Name,City\r\n'),
      Buffer.from([0xa4, 0xa6, 0xa7, 0xa9, 0xb1, 0xb5, 0xb6, 0x2c, 0xa4, 0xa6, 0x0d, 0x0a]),
    ]);
    expect(await refused(garbage)).toMatchObject({
      detail: expect.stringMatching(/encoding of this file could not be recognised/),
      fields: [{ rule: 'fileEncoding' }],
    });
  });

  it('a UTF-8 file whose bytes stop being UTF-8 after the first 64 KB', async () => {
    const good = 'Name,City\r\n' + 'مطعم,الرياض\r\n'.repeat(4000);
    const broken = Buffer.concat([Buffer.from(good), Buffer.from([0xff, 0xfe, 0x2c, 0x41, 0x0d, 0x0a])]);
    expect(await refused(broken)).toMatchObject({
      detail: expect.stringMatching(/not valid UTF-8 text/),
      fields: [{ rule: 'fileEncoding' }],
    });
  });

  it('a 60 MB file with 413 and a clear message', async () => {
    const line = 'Some Company Name,+966500000000,Riyadh,https://example.com\r\n';
    const big = Buffer.alloc(60 * 1024 * 1024, line);
    const body = await refused(big, 413);
    expect(body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringMatching(/larger than 50 MB/) });
  });

  it('a request without a file', async () => {
    const user = await signUp(t, { name: 'No file' });
    const res = await user.client.post(`/api/v1/tenants/${user.tenantId}/imports`, { file: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'file', message: expect.any(String), rule: 'fileForm' }]);
  });
});

describe('who may upload and see uploads', () => {
  it('a VIEWER cannot upload (403) but can read an upload; another tenant gets 404 and nothing of theirs changes', async () => {
    const owner = await signUp(t, { name: 'Owner' });
    const viewer = await addPerson(t, owner.tenantId, 'VIEWER');
    const denied = await uploadCsv(t, viewer.client, owner.tenantId, csv('Name', 'A'));
    expect(denied.status).toBe(403);
    expect(await storedUploadsOf(t, owner.tenantId)).toEqual({ uploads: 0, chunks: 0 });

    const up = await uploadCsv(t, owner.client, owner.tenantId, csv('Name', 'A'));
    expect(up.status).toBe(201);
    expect((await viewer.client.get(`/api/v1/tenants/${owner.tenantId}/imports/${up.body.id}`)).status).toBe(200);

    const stranger = await signUp(t, { name: 'Stranger' });
    expect((await stranger.client.get(`/api/v1/tenants/${owner.tenantId}/imports/${up.body.id}`)).status).toBe(404);
    // Their own tenant in the path does not reveal someone else's upload either.
    expect((await stranger.client.get(`/api/v1/tenants/${stranger.tenantId}/imports/${up.body.id}`)).status).toBe(404);
    expect((await uploadCsv(t, stranger.client, owner.tenantId, csv('Name', 'B'))).status).toBe(404);
    expect(await storedUploadsOf(t, owner.tenantId)).toEqual({ uploads: 1, chunks: 1 });
  });
});
