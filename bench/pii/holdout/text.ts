/**
 * Hand-written free text for the holdout corpus: notes, tickets, transcripts and log lines in
 * several languages, some carrying personal data inside the sentence and some clean.
 */
import { pickOne, randInt, randomDigits, type Rand } from './ids.js';

/** The personal values a sentence may mention. */
export interface TextPii {
  name: string;
  first: string;
  email: string;
  phone: string;
  iban: string;
  dob: string;
  address: string;
  postcode: string;
  ip: string;
}

type Lang = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl';

const WITH_PII: Record<Lang, ((p: TextPii) => string)[]> = {
  en: [
    (p) => `Customer called from ${p.phone} about a missing parcel, please call back before 5pm.`,
    (p) => `Please update the contact email to ${p.email} — the old one bounces.`,
    (p) => `Spoke with ${p.name}; confirmed delivery to ${p.address}.`,
    (p) => `Refund approved, transfer to ${p.iban} once the return is scanned.`,
    (p) => `Caller could not pass security: DOB given as ${p.dob}, postcode ${p.postcode}.`,
    (p) => `Escalated by ${p.first} after the third failed login from ${p.ip}.`,
    (p) => `Reach me at ${p.email} or ${p.phone} if the courier needs directions.`,
  ],
  de: [
    (p) => `Kunde bittet um Rückruf unter ${p.phone}.`,
    (p) => `Neue E-Mail-Adresse: ${p.email} (bitte im CRM ändern)`,
    (p) => `Bitte Lastschrift künftig vom Konto ${p.iban} einziehen.`,
    (p) => `Lieferung an ${p.name}, ${p.address} – Nachbar nimmt an.`,
    (p) => `Frau ${p.name} hat wegen der Rechnung angerufen, Tel. ${p.phone}.`,
  ],
  fr: [
    (p) => `Le client souhaite être rappelé au ${p.phone}.`,
    (p) => `Merci d'envoyer la facture à ${p.email}.`,
    (p) => `Mme ${p.name} signale un colis manquant, adresse : ${p.address}.`,
    (p) => `Remboursement par virement sur ${p.iban}.`,
  ],
  es: [
    (p) => `Llamar al cliente al ${p.phone} antes de las 18h.`,
    (p) => `Nuevo correo de contacto: ${p.email}`,
    (p) => `Transferencia a la cuenta ${p.iban} pendiente de confirmar.`,
    (p) => `${p.name} pide cambiar la dirección a ${p.address}.`,
  ],
  it: [
    (p) => `Richiamare il cliente al ${p.phone} in mattinata.`,
    (p) => `Indirizzo email aggiornato: ${p.email}`,
    (p) => `Rimborso sul conto ${p.iban} approvato dal responsabile.`,
    (p) => `Consegna per ${p.name}, ${p.address}.`,
  ],
  nl: [
    (p) => `Klant wil teruggebeld worden op ${p.phone}.`,
    (p) => `Nieuw e-mailadres: ${p.email}`,
    (p) => `Terugbetaling naar rekening ${p.iban} is verwerkt.`,
    (p) => `Pakket afgeleverd bij ${p.name}, ${p.address}.`,
  ],
};

const CLEAN: Record<Lang, ((rand: Rand) => string)[]> = {
  en: [
    () => 'Package arrived damaged, photos attached to the case.',
    (r) =>
      `Login fails since app update ${randInt(r, 3, 9)}.${randInt(r, 0, 20)}.${randInt(r, 0, 9)}; cleared cache, no change.`,
    (r) => `Duplicate charge on order ${randomDigits(r, 10)}, reversed by finance.`,
    () => 'Customer asked about the warranty period for the blender.',
    (r) => `Waiting for warehouse, ETA ${randInt(r, 2, 9)} working days.`,
    () => 'Closed after no reply for 14 days.',
    (r) => `Coupon SPRING${randInt(r, 10, 40)} not applied at checkout; manual credit issued.`,
  ],
  de: [
    () => 'Ware retourniert, Gutschrift veranlasst.',
    (r) => `Rückfrage zur Rechnung Nr. ${randomDigits(r, 8)}.`,
    () => 'Paket beschädigt angekommen, Ersatz verschickt.',
    () => 'Kunde wünscht keine Werbung mehr.',
  ],
  fr: [
    () => 'Colis livré en point relais, client prévenu.',
    (r) => `Question sur la facture n° ${randomDigits(r, 7)}.`,
    () => 'Produit défectueux, échange accepté.',
  ],
  es: [
    () => 'El pedido llegó incompleto, se envía la pieza que falta.',
    (r) => `Consulta sobre la factura ${randomDigits(r, 6)}.`,
    () => 'Cliente satisfecho, se cierra la incidencia.',
  ],
  it: [
    () => 'Pacco consegnato in ritardo, applicato sconto del 10%.',
    (r) => `Domanda sulla fattura n. ${randomDigits(r, 6)}.`,
  ],
  nl: [
    () => 'Bestelling kwam beschadigd aan, vervanging verstuurd.',
    (r) => `Vraag over factuur ${randomDigits(r, 8)}.`,
  ],
};

/** A note in the language that mentions personal data with probability share, otherwise a clean one. */
export function makeNote(rand: Rand, lang: Lang, share: number, pii: () => TextPii): string {
  if (rand() < share) return pickOne(rand, WITH_PII[lang])(pii());
  return pickOne(rand, CLEAN[lang])(rand);
}

/** A clinician's note, mentioning the patient by name or birth date in about 60% of rows. */
export function makeClinicalNote(rand: Rand, pii: () => TextPii): string {
  const p = pii();
  const clean = [
    'Routine follow-up, BP 128/82, no complaints. Continue current medication.',
    'Flu vaccine administered, left deltoid. No adverse reaction observed in 15 min.',
    'Lab results within normal limits; HbA1c 5.6%. Next review in 12 months.',
    'Referred to physiotherapy for lower back pain, 6 sessions.',
  ];
  const withPii = [
    `${p.name} (DOB ${p.dob}) presents with mild asthma exacerbation; salbutamol increased.`,
    `Pt ${p.name} reports headaches for 2 weeks. Daughter to call back on ${p.phone}.`,
    `Identity confirmed by DOB ${p.dob}. Discussed statin side effects.`,
    `Results sent to ${p.email} at patient's request.`,
  ];
  return rand() < 0.6 ? pickOne(rand, withPii) : pickOne(rand, clean);
}

/** A performance-review remark that names the employee by first or full name in about half the rows. */
export function makeReviewComment(rand: Rand, name: string, first: string): string {
  const withName = [
    `${first} consistently exceeds targets and mentors the junior staff.`,
    `Discussed promotion path with ${name}; revisit in Q3.`,
    `${first} needs to improve documentation of customer escalations.`,
    `Great feedback from the client about ${name} during the migration.`,
  ];
  const clean = [
    'Strong quarter; keep the focus on documentation.',
    'Meets expectations. Training budget approved.',
    'Objectives for next year agreed in the meeting.',
    'Sick leave in March, objectives adjusted accordingly.',
  ];
  return rand() < 0.5 ? pickOne(rand, withName) : pickOne(rand, clean);
}

/** An IoT gateway log line, naming a client address in about half of the lines. */
export function makeIotLogLine(rand: Rand, ip: string, mac: string): string {
  const fw = `${randInt(rand, 1, 5)}.${randInt(rand, 0, 20)}.${randInt(rand, 0, 9)}.${randInt(rand, 0, 99)}`;
  const withAddr = [
    `WARN conn from ${ip}:${randInt(rand, 1024, 65535)} refused (fw ${fw})`,
    `INFO dhcp lease ${ip} -> ${mac} renewed for 86400s`,
    `ERROR mqtt publish to ${ip} timed out after 5000 ms`,
    `INFO new client ${mac} joined ssid iot-${randInt(rand, 1, 9)}`,
  ];
  const clean = [
    `INFO heartbeat ok, uptime ${randInt(rand, 10, 900000)} s`,
    `INFO firmware ${fw} verified, sha256 ok`,
    `DEBUG sensor poll ${randInt(rand, 1, 64)} values in ${randInt(rand, 2, 90)} ms`,
    `WARN battery ${randInt(rand, 5, 30)}% on node ${randInt(rand, 1, 400)}`,
  ];
  return rand() < 0.5 ? pickOne(rand, withAddr) : pickOne(rand, clean);
}

/** A call-centre transcript excerpt, with caller-verification details in about 40% of calls. */
export function makeTranscript(rand: Rand, pii: () => TextPii): string {
  const clean = [
    'Agent: thanks for calling. Caller: I want to know when the store opens on Sunday.',
    'Caller asked about roaming charges; explained the EU tariff.',
    'Caller cancelled the callback, issue solved in the app.',
    'Agent transferred the call to billing (queue 4).',
  ];
  if (rand() >= 0.4) return pickOne(rand, clean);
  const p = pii();
  return pickOne(rand, [
    `Caller verified with date of birth ${p.dob} and postcode ${p.postcode}.`,
    `Caller ${p.name} asked us to send the contract to ${p.email}.`,
    `Agent: can I take a number? Caller: ${p.phone}, after six please.`,
    `Caller moved house, new address ${p.address}.`,
  ]);
}
