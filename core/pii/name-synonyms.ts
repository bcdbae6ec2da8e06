/**
 * The column-name synonym table: for each kind of personal data, the words and abbreviations that
 * name it in English, German, French, Spanish, Italian and Dutch. Names are matched after
 * tokenising (snake, camel, kebab, digits) and folding accents (`prénom` → `prenom`, `straße` →
 * `strasse`), so entries are lower-case ASCII words separated by single spaces.
 *
 * `phrases` must occur as contiguous tokens anywhere in the name (`customer_e_mail` contains
 * `e mail`); `whole` must be the entire name with separators removed (`vorname`, `long`), for
 * words that are too short or too ambiguous to trust inside longer names.
 *
 * Order is priority: the first entry that matches wins, so specific entries (`mac address`,
 * `ip address`, `email address`) come before general ones (`address`).
 */
import { PiiKind } from './types.js';

/** One row of the synonym table. */
export interface NameSynonyms {
  kind: PiiKind;
  /** What the report cites, e.g. "email"; a rule name, never the column name. */
  label: string;
  phrases: readonly string[];
  whole?: readonly string[];
}

/** The synonym table, in priority order. */
export const NAME_SYNONYMS: readonly NameSynonyms[] = [
  {
    kind: PiiKind.UrlWithCredentials,
    label: 'connection_string',
    phrases: ['connection string', 'conn string', 'conn str', 'dsn', 'database url', 'db url', 'jdbc url', 'jdbc', 'db uri', 'database uri'],
    whole: ['connstr', 'connectionstring', 'databaseurl', 'dburl'],
  },
  {
    kind: PiiKind.Secret,
    label: 'secret',
    phrases: [
      'api key', 'apikey', 'api token', 'access key', 'secret', 'secret key', 'client secret', 'token',
      'access token', 'auth token', 'refresh token', 'bearer', 'password', 'passwd', 'pwd', 'passphrase',
      'private key', 'credential', 'credentials', 'passwort', 'kennwort', 'mot de passe', 'contrasena',
      'wachtwoord', 'webhook secret', 'signing key',
    ],
    whole: ['apikey', 'secretkey', 'accesskey', 'authtoken', 'accesstoken', 'password', 'passwort', 'motdepasse', 'contrasena', 'wachtwoord'],
  },
  {
    kind: PiiKind.Email,
    label: 'email',
    phrases: ['email', 'e mail', 'mail', 'courriel', 'correo', 'correo electronico', 'posta elettronica', 'email adres', 'emailadres', 'mailadresse', 'adresse mail', 'adresse email'],
    whole: ['emailaddress', 'mailaddress', 'emailadresse', 'emailadres'],
  },
  {
    kind: PiiKind.MacAddress,
    label: 'mac_address',
    phrases: ['mac', 'mac address', 'mac addr', 'hw addr', 'hardware address', 'bssid'],
    whole: ['macaddress', 'macaddr', 'hwaddr'],
  },
  {
    kind: PiiKind.IpAddress,
    label: 'ip_address',
    phrases: ['ip', 'ipv 4', 'ipv 6', 'ipv4', 'ipv6', 'ip address', 'ip addr', 'ip adresse', 'adresse ip', 'direccion ip', 'indirizzo ip'],
    whole: ['ipaddress', 'ipaddr', 'remoteaddr', 'clientip', 'ipadresse'],
  },
  {
    kind: PiiKind.CreditCard,
    label: 'credit_card',
    phrases: [
      'credit card', 'card number', 'card num', 'card no', 'cc', 'cc number', 'pan', 'pan number', 'debit card',
      'kreditkarte', 'kartennummer', 'carte bancaire', 'numero carte', 'carte de credit', 'tarjeta', 'numero tarjeta',
      'carta di credito', 'numero carta', 'creditcard', 'kaartnummer',
    ],
    whole: ['creditcard', 'cardnumber', 'ccnumber', 'ccnum', 'cardno', 'kreditkartennummer', 'creditcardnumber'],
  },
  { kind: PiiKind.Iban, label: 'iban', phrases: ['iban', 'bank account iban', 'rekeningnummer', 'kontonummer'] },
  {
    kind: PiiKind.UkNino,
    label: 'uk_nino',
    phrases: ['nino', 'ni number', 'ni no', 'national insurance', 'national insurance number', 'nat ins'],
    whole: ['nationalinsurancenumber', 'ninumber'],
  },
  {
    kind: PiiKind.Ssn,
    label: 'ssn',
    phrases: ['ssn', 'social security', 'social sec', 'soc sec', 'soc sec no', 'soc sec num', 'social security number'],
    whole: ['socialsecurity', 'socialsecuritynumber', 'socsecno'],
  },
  {
    kind: PiiKind.NationalId,
    label: 'national_id',
    phrases: [
      'national id', 'national identifier', 'dni', 'nie', 'nif', 'codice fiscale', 'cod fiscale', 'bsn',
      'burgerservicenummer', 'sofinummer', 'nir', 'numero securite sociale', 'numero de securite sociale',
      'insee', 'steuer id', 'steuerid', 'steuer identifikationsnummer', 'steueridentifikationsnummer', 'idnr',
      'tax id', 'tax code', 'tin', 'itin', 'id card', 'identity card', 'identity number', 'personalausweis',
      'ausweisnummer', 'personnummer', 'documento identidad', 'numero documento', 'carta identita',
      'sozialversicherungsnummer', 'codicefiscale',
    ],
    whole: ['nationalid', 'taxid', 'codicefiscale', 'steuerid', 'steueridentifikationsnummer', 'cf', 'nss'],
  },
  {
    kind: PiiKind.Phone,
    label: 'phone',
    phrases: [
      'phone', 'mobile', 'tel', 'telephone', 'cell', 'cell phone', 'cell number', 'fax', 'msisdn', 'phone no',
      'telefon', 'telefonnummer', 'handy', 'handynummer', 'mobil', 'mobilnummer', 'rufnummer', 'festnetz',
      'telephone portable', 'portable', 'num tel', 'numero telephone', 'telefono', 'movil', 'celular',
      'cellulare', 'numero di telefono', 'telefoonnummer', 'mobiel', 'mobiele nummer', 'gsm',
    ],
    whole: ['phonenumber', 'mobilenumber', 'cellphone', 'telephone', 'telno', 'telnr', 'telefonnr', 'tlf', 'tfno', 'mobilephone'],
  },
  {
    kind: PiiKind.DateOfBirth,
    label: 'date_of_birth',
    phrases: [
      'dob', 'date of birth', 'birth date', 'birth day', 'birthday', 'birthdate', 'birth dt', 'born on', 'born',
      'geburtsdatum', 'geburtstag', 'geb datum', 'gebdat', 'date naissance', 'date de naissance', 'naissance',
      'fecha nacimiento', 'fecha de nacimiento', 'nacimiento', 'data nascita', 'data di nascita', 'nascita',
      'geboortedatum', 'geboren',
    ],
    whole: ['dateofbirth', 'birthdate', 'birthday', 'geburtsdatum', 'geboortedatum', 'datenaissance', 'fechanacimiento', 'datanascita', 'gebdatum'],
  },
  {
    kind: PiiKind.FirstName,
    label: 'first_name',
    phrases: [
      'first name', 'given name', 'fname', 'forename', 'first nm', 'middle name', 'vorname', 'rufname', 'prenom',
      'nombre de pila', 'primer nombre', 'nome proprio', 'voornaam', 'roepnaam', 'christian name',
    ],
    whole: ['firstname', 'givenname', 'middlename', 'vorname', 'prenom', 'voornaam', 'nombre', 'nome'],
  },
  {
    kind: PiiKind.LastName,
    label: 'last_name',
    phrases: [
      'last name', 'surname', 'family name', 'lname', 'maiden name', 'last nm', 'nachname', 'familienname',
      'geburtsname', 'nom de famille', 'nom famille', 'apellido', 'apellidos', 'primer apellido', 'segundo apellido',
      'cognome', 'achternaam', 'familienaam',
    ],
    whole: ['lastname', 'familyname', 'maidenname', 'nachname', 'nom', 'apellido', 'cognome', 'achternaam', 'surname'],
  },
  {
    kind: PiiKind.GeoCoordinate,
    label: 'geo_coordinate',
    phrases: [
      'latitude', 'longitude', 'lat', 'lng', 'lon', 'geo lat', 'geo long', 'lat long', 'lat lng', 'latlong',
      'latlng', 'coordinates', 'coords', 'geo point', 'geopoint', 'gps', 'breitengrad', 'laengengrad',
      'langengrad', 'latitud', 'longitud', 'latitudine', 'longitudine', 'breedtegraad', 'lengtegraad',
      'koordinaten', 'coordonnees', 'coordenadas', 'coordinate',
    ],
    whole: ['long', 'lat', 'lon', 'lng', 'latlong', 'latlng', 'geolocation'],
  },
  {
    kind: PiiKind.StreetAddress,
    label: 'address',
    phrases: [
      'address', 'street', 'addr', 'address line', 'street address', 'house number', 'adresse', 'anschrift',
      'strasse', 'hausnummer', 'rue', 'adresse postale', 'direccion', 'calle', 'domicilio', 'indirizzo',
      'straat', 'adres', 'huisnummer', 'home address', 'mailing address', 'billing address', 'shipping address',
    ],
    whole: ['streetaddress', 'addressline', 'addressline1', 'addressline2', 'strasse', 'anschrift', 'indirizzo', 'direccion'],
  },
  {
    kind: PiiKind.City,
    label: 'city',
    phrases: [
      'city', 'town', 'municipality', 'ort', 'stadt', 'wohnort', 'ville', 'commune', 'ciudad', 'localidad',
      'municipio', 'poblacion', 'citta', 'comune', 'localita', 'plaats', 'woonplaats', 'gemeente',
    ],
    whole: ['cityname', 'ort', 'stadt', 'ville', 'ciudad', 'citta', 'plaats', 'woonplaats'],
  },
  {
    kind: PiiKind.PostalCode,
    label: 'postal_code',
    phrases: [
      'zip', 'zip code', 'zipcode', 'postal code', 'postcode', 'post code', 'postal', 'plz', 'postleitzahl',
      'code postal', 'codigo postal', 'cod postal', 'codice postale', 'postcode nl',
    ],
    whole: ['zipcode', 'postalcode', 'postcode', 'plz', 'postleitzahl', 'codepostal', 'codigopostal', 'cp', 'cap'],
  },
];

/** Names of personal identifiers that have no validator here (passports, licences, accounts, logins). */
export const PERSONAL_IDENTIFIER_SYNONYMS: readonly string[] = [
  'passport', 'passport number', 'passport no', 'reisepass', 'passeport', 'pasaporte', 'passaporto', 'paspoort',
  'driver license', 'drivers license', 'driving licence', 'driving license', 'license number', 'licence number',
  'fuhrerschein', 'fuehrerschein', 'permis de conduire', 'permiso de conducir', 'patente', 'rijbewijs',
  'nhs number', 'account number', 'acct number', 'acct no', 'bank account', 'medical record number', 'mrn',
  'health insurance number', 'versichertennummer', 'krankenversicherungsnummer', 'username', 'user name',
  'login name', 'login id', 'screen name', 'benutzername', 'nom utilisateur', 'nombre usuario', 'nome utente',
  'gebruikersnaam', 'handle', 'member number', 'membership number', 'loyalty number', 'customer number',
  'patient number', 'employee number', 'employee no', 'emp no', 'staff number', 'staff no', 'personnel no', 'personnel number', 'personalnummer', 'kundennummer', 'vin',
  'licence plate', 'license plate', 'kennzeichen', 'plate number',
];

/** Names of prose columns, which may carry anything a person typed. */
export const FREE_TEXT_SYNONYMS: readonly string[] = [
  'note', 'notes', 'comment', 'comments', 'description', 'remark', 'remarks', 'message', 'messages', 'feedback',
  'bio', 'body', 'free text', 'freetext', 'memo', 'narrative', 'review', 'complaint', 'summary', 'details',
  'transcript', 'chat', 'bemerkung', 'bemerkungen', 'notiz', 'notizen', 'kommentar', 'anmerkung', 'nachricht',
  'commentaire', 'commentaires', 'remarque', 'texte', 'nota', 'notas', 'comentario', 'comentarios', 'mensaje',
  'observaciones', 'note libere', 'commento', 'commenti', 'messaggio', 'opmerking', 'opmerkingen', 'bericht',
  'toelichting', 'omschrijving',
];

/**
 * Words that turn a personal-data name into a name about that data (`email_verified`,
 * `phone_model`, `email_count`): such columns hold flags, counts, categories or settings.
 */
export const META_WORDS: readonly string[] = [
  'is', 'has', 'count', 'cnt', 'total', 'num of', 'number of', 'flag', 'verified', 'valid', 'validated', 'status',
  'type', 'kind', 'source', 'domain', 'provider', 'format', 'length', 'len', 'opt', 'optin', 'consent', 'bounced',
  'updated', 'changed', 'sent', 'enabled', 'allowed', 'hash', 'hashed', 'masked', 'country', 'region', 'state',
  'verification', 'preference', 'frequency', 'web', 'url', 'server', 'model', 'brand', 'make', 'os', 'carrier',
  'plan', 'tier', 'template', 'pattern', 'regex', 'policy', 'category', 'rating', 'score', 'qty', 'quantity',
  'price', 'size', 'version', 'prefix', 'suffix', 'avg', 'mean', 'max', 'min', 'ratio', 'pct', 'percent', 'rate',
  'days', 'expires', 'expiry', 'expiration', 'rotated', 'created', 'last used', 'scope', 'scopes', 'name space',
  'field', 'label', 'anzahl', 'nombre de', 'numero de', 'aantal', 'zone', 'tz', 'timezone', 'precision',
  'accuracy', 'error', 'distance', 'radius', 'reset', 'strength', 'attempts', 'failures', 'modele', 'modelo',
  'modell', 'marca', 'marke', 'fingerprint', 'count of',
];

/** Words before `name` that make it a person's name rather than a product's or a file's. */
export const PERSON_NAME_QUALIFIERS: readonly string[] = [
  'full', 'customer', 'client', 'contact', 'person', 'employee', 'patient', 'user', 'member', 'owner', 'holder',
  'cardholder', 'recipient', 'sender', 'beneficiary', 'applicant', 'student', 'guardian', 'spouse', 'driver',
  'passenger', 'guest', 'buyer', 'manager', 'agent', 'display', 'legal', 'account', 'author', 'reviewer',
  'signatory', 'teacher', 'doctor', 'nurse', 'parent', 'child', 'emergency contact', 'next of kin', 'tenant',
  'landlord', 'subscriber', 'volunteer', 'candidate', 'cliente', 'kunde', 'kunden', 'nom complet', 'nombre completo',
  'nome completo', 'volledige', 'vollstandiger', 'voller',
];

/** Whole names that are a person's name in other languages (`naam`, `nom complet`). */
export const PERSON_NAME_WHOLE: readonly string[] = [
  'fullname', 'name', 'naam', 'nomcomplet', 'nombrecompleto', 'nomecompleto', 'volledigenaam', 'vollername',
  'kundenname', 'nomclient', 'nombrecliente', 'klantnaam', 'contactpersoon', 'ansprechpartner',
];
