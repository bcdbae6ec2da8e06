import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClassifierName,
  combineContributions,
  findPiiSpans,
  isDistinctivePostcode,
  isGeoPair,
  isHighEntropyToken,
  isLikelySecret,
  isPhoneValue,
  isStreetLine,
  isUrlWithCredentials,
  isValidMacAddress,
  knownSecretFormat,
  matchColumnName,
  PiiKind,
  postcodeLocales,
  scrubText,
  shannonEntropy,
  type ClassifierContribution,
} from '../../core/pii/index.js';

describe('MAC addresses', () => {
  it('accepts colon, dash and Cisco forms and rejects mixed separators and bad digits', () => {
    expect(isValidMacAddress('00:1A:2b:3C:4d:5E')).toBe(true);
    expect(isValidMacAddress('00-1A-2B-3C-4D-5E')).toBe(true);
    expect(isValidMacAddress('001a.2b3c.4d5e')).toBe(true);
    expect(isValidMacAddress('00:1A-2B:3C:4D:5E')).toBe(false);
    expect(isValidMacAddress('00:1A:2B:3C:4D:5G')).toBe(false);
    expect(isValidMacAddress('00:1A:2B:3C:4D')).toBe(false);
  });

  it('accepts any six bytes written with one separator', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 6, maxLength: 6 }),
        fc.constantFrom(':', '-'),
        (bytes, sep) => {
          expect(isValidMacAddress(bytes.map((b) => b.toString(16).padStart(2, '0')).join(sep))).toBe(true);
        },
      ),
    );
  });
});

describe('URLs with credentials', () => {
  it('needs user:password@ in the authority', () => {
    expect(isUrlWithCredentials('postgres://app:s3cret@db.internal:5432/main')).toBe(true);
    expect(isUrlWithCredentials('https://bob:pa55@example.com/path?q=1')).toBe(true);
    expect(isUrlWithCredentials('https://example.com/path')).toBe(false);
    expect(isUrlWithCredentials('https://bob@example.com/')).toBe(false);
    expect(isUrlWithCredentials('mailto:bob@example.com')).toBe(false);
  });
});

describe('secrets', () => {
  it('recognises known token formats', () => {
    expect(knownSecretFormat('AKIAIOSFODNN7EXAMPLE')).toBe('AWS access key id');
    expect(knownSecretFormat(`ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`)).toBe('GitHub token');
    expect(knownSecretFormat(`sk_live_${'4eC39HqLyjWDarjtT1zdp7dc'}`)).toBe('Stripe secret key');
    expect(knownSecretFormat('xoxb-123456789012-123456789012-abcdefABCDEF123456')).toBe('Slack token');
    expect(knownSecretFormat('hello')).toBeUndefined();
  });

  it('accepts random mixed-case tokens and rejects digests, UUIDs, words and versions', () => {
    expect(isHighEntropyToken('FvNLaFneIymxcm10UkeoLW44W9vfFkwhFAEPr8Ti')).toBe(true);
    expect(isLikelySecret('240bff566f6cffb4856a3ce82255c76a64842e1d')).toBe(false); // SHA-1
    expect(isLikelySecret('f5c03f7f-ca69-4ab1-9364-bf9c3f23ea16')).toBe(false); // UUID
    expect(isLikelySecret('customer-onboarding-flow-v2-final')).toBe(false);
    expect(isLikelySecret('AppleWebKit/537.36')).toBe(false);
    expect(isLikelySecret('aaaaaaaaaaaaaaaaaaaaAAAA1111')).toBe(false); // low entropy
  });

  it('measures entropy in bits per character', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abab')).toBeCloseTo(1, 10);
    expect(shannonEntropy('abcdefgh')).toBeCloseTo(3, 10);
  });

  it('accepts generated base62 tokens of 32 characters or more', () => {
    const base62 = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
    fc.assert(
      fc.property(fc.array(base62, { minLength: 32, maxLength: 64 }), (chars) => {
        const token = chars.join('');
        fc.pre(/[A-Z].*[A-Z]/.test(token) && /\d.*\d/.test(token) && /[a-z]/.test(token));
        expect(isHighEntropyToken(token)).toBe(true);
      }),
    );
  });
});

describe('geo coordinates and postcodes', () => {
  it('reads lat/long pairs in range with at least three decimals', () => {
    expect(isGeoPair('48.8566, 2.3522')).toBe(true);
    expect(isGeoPair('(40.7128;-74.0060)')).toBe(true);
    expect(isGeoPair('95.1234, 2.3522')).toBe(false);
    expect(isGeoPair('48.8, 2.3')).toBe(false);
    expect(isGeoPair('1.234, 5.678, 9.1')).toBe(false);
  });

  it('knows the postcode shapes per locale', () => {
    expect(postcodeLocales('SW1A 1AA')).toEqual(['GB']);
    expect(postcodeLocales('1234 AB')).toEqual(['NL']);
    expect(postcodeLocales('K1A 0B1')).toEqual(['CA']);
    expect(postcodeLocales('10115')).toEqual(expect.arrayContaining(['US', 'DE', 'FR', 'ES', 'IT']));
    expect(postcodeLocales('90210-1234')).toEqual(['US']);
    expect(isDistinctivePostcode('10115')).toBe(false);
    expect(isDistinctivePostcode('M5V 3L9')).toBe(true);
  });

  it('recognises street lines with the number first or last', () => {
    for (const line of [
      '221B Baker Street',
      '12 rue de la Paix',
      'Hauptstraße 5',
      'Calle Mayor 3',
      'Kerkstraat 12a',
      'Via Roma 10',
      '73536 Lake Drive',
    ]) {
      expect(isStreetLine(line)).toBe(true);
    }
    for (const text of ['Widget 3000', 'Chapter 12', 'iPhone 15', 'Room 101'])
      expect(isStreetLine(text)).toBe(false);
  });
});

describe('phones in several regions', () => {
  it('accepts international numbers and national numbers of known regions', () => {
    expect(isPhoneValue('+49 30 901820', false)).toBe(true);
    expect(isPhoneValue('030 901820', false)).toBe(true);
    expect(isPhoneValue('020 7946 0958', false)).toBe(true);
    expect(isPhoneValue('(202) 456-1111', false)).toBe(true);
    expect(isPhoneValue('2024561111', false)).toBe(false); // bare digits need a phone column name
    expect(isPhoneValue('2024561111', true)).toBe(true);
  });
});

describe('multilingual column names', () => {
  it.each([
    ['soc_sec_no', PiiKind.Ssn],
    ['geburtsdatum', PiiKind.DateOfBirth],
    ['Prénom', PiiKind.FirstName],
    ['nom', PiiKind.LastName],
    ['apellido', PiiKind.LastName],
    ['nombre', PiiKind.FirstName],
    ['telefono', PiiKind.Phone],
    ['indirizzo', PiiKind.StreetAddress],
    ['codice_fiscale', PiiKind.NationalId],
    ['PLZ', PiiKind.PostalCode],
    ['Postleitzahl', PiiKind.PostalCode],
    ['Straße', PiiKind.StreetAddress],
    ['ni_number', PiiKind.UkNino],
    ['steuer_id', PiiKind.NationalId],
    ['macAddress', PiiKind.MacAddress],
    ['api_key', PiiKind.Secret],
    ['database_url', PiiKind.UrlWithCredentials],
    ['latitude', PiiKind.GeoCoordinate],
    ['long', PiiKind.GeoCoordinate],
    ['woonplaats', PiiKind.City],
  ])('%s → %s', (name, kind) => {
    expect(matchColumnName(name)?.rule.kind).toBe(kind);
  });

  it.each([
    'email_count',
    'phone_model',
    'token_count',
    'latency_ms',
    'longest_streak',
    'mac_os_version',
    'password_hash',
    'card_brand',
  ])('%s names no personal data', (name) => {
    expect(matchColumnName(name)?.personal ?? false).toBe(false);
  });
});

describe('PII spans in free text', () => {
  it('finds each kind where it sits', () => {
    const text =
      'Spoke with Maria Garcia (maria.garcia@example.com, +44 20 7946 0958). Card 4111 1111 1111 1111, ' +
      'SSN 123-45-6789, IBAN DE89 3704 0044 0532 0130 00, from 192.168.10.20; db postgres://app:pw1@db:5432/x ' +
      'key AKIAIOSFODNN7EXAMPLE and NI AB123456C.';
    const spans = findPiiSpans(text);
    const found = spans.map((s) => [s.kind, text.slice(s.start, s.end)]);
    expect(found).toEqual([
      ['person_name', 'Maria Garcia'],
      ['email', 'maria.garcia@example.com'],
      ['phone', '+44 20 7946 0958'],
      ['credit_card', '4111 1111 1111 1111'],
      ['ssn', '123-45-6789'],
      ['iban', 'DE89 3704 0044 0532 0130 00'],
      ['ip_address', '192.168.10.20'],
      ['url_with_credentials', 'postgres://app:pw1@db:5432/x'],
      ['secret', 'AKIAIOSFODNN7EXAMPLE'],
      ['uk_nino', 'AB123456C'],
    ]);
  });

  it('leaves ordinary prose, versions and order numbers alone', () => {
    for (const text of [
      'The package arrived on Monday and the customer was happy.',
      'Upgraded to version 10.2.3 of Chrome/120.0.0.0 yesterday.',
      'Order 1234567812345670 ships in May.',
      'Paris is lovely in spring.',
    ]) {
      expect(findPiiSpans(text)).toEqual([]);
    }
  });

  it('scrubText replaces spans and keeps the rest byte for byte', () => {
    const text = 'Mail john.smith@example.org or call (202) 456-1111 today.';
    expect(scrubText(text, (kind) => `<${kind}>`)).toBe('Mail <email> or call <phone> today.');
    expect(scrubText('nothing here', () => 'x')).toBe('nothing here');
  });

  it('spans never overlap and always lie inside the text', () => {
    const piece = fc.oneof(
      fc.emailAddress(),
      fc.constantFrom(
        'John Smith',
        '(202) 456-1111',
        '4111111111111111',
        '10.0.0.1',
        'hello',
        'the',
        'Order 42',
      ),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const text = pieces.join(' ');
        const spans = findPiiSpans(text);
        for (let i = 0; i < spans.length; i++) {
          const s = spans[i]!;
          expect(s.start).toBeGreaterThanOrEqual(0);
          expect(s.end).toBeLessThanOrEqual(text.length);
          expect(s.end).toBeGreaterThan(s.start);
          if (i > 0) expect(s.start).toBeGreaterThanOrEqual(spans[i - 1]!.end);
        }
        expect(scrubText(text, (_k, span) => span)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('combineContributions', () => {
  const c = (
    classifier: ClassifierContribution['classifier'],
    kind: PiiKind,
    score: number,
  ): ClassifierContribution => ({
    classifier,
    kind,
    score,
    reason: `${classifier} says ${kind} ${score}`,
  });

  it('is noisy-OR per kind, and the best kind wins', () => {
    const r = combineContributions([
      c(ClassifierName.ColumnName, PiiKind.Email, 0.75),
      c(ClassifierName.Values, PiiKind.Email, 0.6),
      c(ClassifierName.Values, PiiKind.Phone, 0.8),
    ]);
    expect(r.kind).toBe(PiiKind.Email);
    expect(r.confidence).toBeCloseTo(1 - 0.25 * 0.4, 3);
    expect(r.sensitive).toBe(true);
    expect(r.reasons).toEqual(['column_name says email 0.75', 'values says email 0.6']);
  });

  it('multiplies in evidence against a kind and vetoes from kind none', () => {
    expect(
      combineContributions([
        c(ClassifierName.ColumnName, PiiKind.Email, 0.75),
        c(ClassifierName.Values, PiiKind.Email, -0.8),
      ]).confidence,
    ).toBeCloseTo(0.15, 3);
    const vetoed = combineContributions([
      c(ClassifierName.Bedrock, PiiKind.Phone, 0.9),
      c(ClassifierName.ContentStats, PiiKind.None, 1),
    ]);
    expect(vetoed.confidence).toBe(0);
    expect(vetoed.sensitive).toBe(false);
  });

  it('gives none at 0 without support and honours the threshold', () => {
    expect(combineContributions([]).kind).toBe(PiiKind.None);
    expect(combineContributions([c(ClassifierName.Values, PiiKind.None, 0)]).confidence).toBe(0);
    expect(combineContributions([c(ClassifierName.Confluence, PiiKind.City, 0.8)], 0.85).sensitive).toBe(
      false,
    );
    expect(combineContributions([c(ClassifierName.Confluence, PiiKind.City, 0.8)], 0.5).sensitive).toBe(true);
  });

  it('does not depend on the order of contributions and stays within [0, 0.99]', () => {
    const kinds = fc.constantFrom(PiiKind.Email, PiiKind.Phone, PiiKind.City, PiiKind.None);
    const contribution = fc.record({
      classifier: fc.constantFrom(ClassifierName.Values, ClassifierName.ColumnName, ClassifierName.Bedrock),
      kind: kinds,
      score: fc.double({ min: -1, max: 1, noNaN: true }),
      reason: fc.constant('r'),
    });
    fc.assert(
      fc.property(fc.array(contribution, { maxLength: 8 }), (list) => {
        const a = combineContributions(list);
        const b = combineContributions([...list].reverse());
        expect(a.confidence).toBe(b.confidence);
        expect(a.confidence).toBeGreaterThanOrEqual(0);
        expect(a.confidence).toBeLessThanOrEqual(0.99);
      }),
    );
  });
});
