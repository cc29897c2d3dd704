/**
 * Classification of incidents by the ENISA / TF-CSIRT Reference Security Incident Taxonomy (RSIT),
 * machine-readable version 1003 (github.com/enisaeu/Reference-Security-Incident-Taxonomy-Task-Force,
 * working_copy/machinev1). The stored code is `<class>/<type>` with the RSIT machine values, e.g.
 * `intrusions/application-compromise`. Note two RSIT values that do not read like their names:
 * "Scanning" is `information-gathering/scanner`, and "Exploitation of Known Vulnerabilities" is
 * `intrusion-attempts/ids-alert`; the spellings people guess for them are accepted as aliases and
 * stored as the RSIT value.
 */

export interface Label {
  id: string;
  en: string;
}

export interface RsitType {
  code: string;
  label: Label;
}

export interface RsitClass {
  code: string;
  label: Label;
  types: RsitType[];
}

export const RSIT_VERSION = 1003;

const cls = (code: string, id: string, en: string, types: Array<[string, string, string]>): RsitClass => ({
  code,
  label: { id, en },
  types: types.map(([t, tid, ten]) => ({ code: `${code}/${t}`, label: { id: tid, en: ten } })),
});

export const RSIT_CLASSES: readonly RsitClass[] = [
  cls('abusive-content', 'Konten Kasar/Melanggar', 'Abusive Content', [
    ['spam', 'Spam', 'Spam'],
    ['harmful-speech', 'Ujaran berbahaya (perundungan, pelecehan, diskriminasi)', 'Harmful Speech'],
    ['violence', 'Eksploitasi seksual (anak)/konten seksual/kekerasan', '(Child) Sexual Exploitation/Sexual/Violent Content'],
  ]),
  cls('malicious-code', 'Kode Berbahaya', 'Malicious Code', [
    ['infected-system', 'Sistem terinfeksi malware', 'Infected System'],
    ['c2-server', 'Server command and control (C2)', 'C2 Server'],
    ['malware-distribution', 'Distribusi malware', 'Malware Distribution'],
    ['malware-configuration', 'Konfigurasi malware', 'Malware Configuration'],
  ]),
  cls('information-gathering', 'Pengumpulan Informasi', 'Information Gathering', [
    ['scanner', 'Pemindaian (scanning)', 'Scanning'],
    ['sniffing', 'Penyadapan lalu lintas (sniffing)', 'Sniffing'],
    ['social-engineering', 'Rekayasa sosial', 'Social Engineering'],
  ]),
  cls('intrusion-attempts', 'Percobaan Intrusi', 'Intrusion Attempts', [
    ['ids-alert', 'Eksploitasi kerentanan yang diketahui', 'Exploitation of Known Vulnerabilities'],
    ['brute-force', 'Percobaan login (brute force)', 'Login Attempts'],
    ['exploit', 'Signature serangan baru', 'New Attack Signature'],
  ]),
  cls('intrusions', 'Intrusi', 'Intrusions', [
    ['privileged-account-compromise', 'Pembobolan akun istimewa (admin)', 'Privileged Account Compromise'],
    ['unprivileged-account-compromise', 'Pembobolan akun biasa', 'Unprivileged Account Compromise'],
    ['application-compromise', 'Pembobolan aplikasi (mis. SQL injection)', 'Application Compromise'],
    ['system-compromise', 'Pembobolan sistem', 'System Compromise'],
    ['burglary', 'Penyusupan fisik', 'Burglary'],
  ]),
  cls('availability', 'Ketersediaan', 'Availability', [
    ['dos', 'Denial of Service (DoS)', 'Denial of Service'],
    ['ddos', 'Distributed Denial of Service (DDoS)', 'Distributed Denial of Service'],
    ['misconfiguration', 'Kesalahan konfigurasi', 'Misconfiguration'],
    ['sabotage', 'Sabotase', 'Sabotage'],
    ['outage', 'Gangguan layanan (outage)', 'Outage'],
  ]),
  cls('information-content-security', 'Keamanan Konten Informasi', 'Information Content Security', [
    ['unauthorised-information-access', 'Akses tidak sah ke informasi', 'Unauthorised Access to Information'],
    [
      'unauthorised-information-modification',
      'Perubahan informasi tanpa hak (termasuk deface)',
      'Unauthorised Modification of Information',
    ],
    ['data-loss', 'Kehilangan data', 'Data Loss'],
    ['data-leak', 'Kebocoran informasi rahasia', 'Leak of Confidential Information'],
  ]),
  cls('fraud', 'Penipuan', 'Fraud', [
    ['unauthorised-use-of-resources', 'Penggunaan sumber daya tanpa hak', 'Unauthorised Use of Resources'],
    ['copyright', 'Pelanggaran hak cipta', 'Copyright'],
    ['masquerade', 'Penyamaran identitas', 'Masquerade'],
    ['phishing', 'Phishing', 'Phishing'],
  ]),
  cls('vulnerable', 'Kerentanan', 'Vulnerable', [
    ['weak-crypto', 'Kriptografi lemah', 'Weak Cryptography'],
    ['ddos-amplifier', 'Amplifier DDoS', 'DDoS Amplifier'],
    ['potentially-unwanted-accessible', 'Layanan terbuka yang tidak diinginkan', 'Potentially Unwanted Accessible Services'],
    ['information-disclosure', 'Pengungkapan informasi', 'Information Disclosure'],
    ['vulnerable-system', 'Sistem rentan', 'Vulnerable System'],
  ]),
  cls('other', 'Lainnya', 'Other', [
    ['other', 'Tidak terkategori', 'Uncategorised'],
    ['undetermined', 'Belum dapat ditentukan', 'Undetermined'],
  ]),
  cls('test', 'Uji', 'Test', [['test', 'Uji coba', 'Test']]),
];

const TYPES = new Map<string, { type: RsitType; cls: RsitClass }>(
  RSIT_CLASSES.flatMap((c) => c.types.map((t) => [t.code, { type: t, cls: c }] as const)),
);

/** Spellings that are not RSIT values but mean one; stored as the RSIT value. */
export const RSIT_ALIASES: Readonly<Record<string, string>> = {
  'information-gathering/scanning': 'information-gathering/scanner',
  'intrusion-attempts/exploit-known-vuln': 'intrusion-attempts/ids-alert',
  'intrusion-attempts/login-attempts': 'intrusion-attempts/brute-force',
  'other/uncategorised': 'other/other',
  'other/unknown': 'other/undetermined',
};

export const RSIT_CODES: readonly string[] = [...TYPES.keys()];

/** The RSIT code for `input` (trimmed, lower-cased, aliases resolved), or null when unknown. */
export function normaliseCategory(input: string): string | null {
  if (typeof input !== 'string') return null;
  const code = input.trim().toLowerCase();
  const resolved = Object.hasOwn(RSIT_ALIASES, code) ? RSIT_ALIASES[code]! : code;
  return TYPES.has(resolved) ? resolved : null;
}

export function categoryLabel(code: string): Label & { classLabel: Label } {
  const hit = TYPES.get(code);
  if (!hit) return { id: code, en: code, classLabel: { id: code, en: code } };
  return { ...hit.type.label, classLabel: hit.cls.label };
}

export interface QuickPick {
  key: string;
  label: Label;
  hint: Label;
  category: string;
}

/** What local-government CSIRTs see most, each mapped to its RSIT type; shown first on the report form. */
export const QUICK_PICKS: readonly QuickPick[] = [
  {
    key: 'web-defacement',
    label: { id: 'Deface situs web', en: 'Website defacement' },
    hint: { id: 'Tampilan atau isi situs OPD diubah pihak lain', en: 'Someone changed the look or content of an OPD website' },
    category: 'information-content-security/unauthorised-information-modification',
  },
  {
    key: 'gambling-injection',
    label: { id: 'Sisipan konten judi online', en: 'Injected online-gambling content' },
    hint: {
      id: 'Halaman atau tautan judi online muncul di situs .go.id',
      en: 'Online-gambling pages or links appear on a government site',
    },
    category: 'information-content-security/unauthorised-information-modification',
  },
  {
    key: 'ddos',
    label: { id: 'Serangan DDoS', en: 'DDoS attack' },
    hint: {
      id: 'Layanan lambat atau tidak dapat diakses karena banjir lalu lintas',
      en: 'A service is slow or down under a flood of traffic',
    },
    category: 'availability/ddos',
  },
  {
    key: 'phishing',
    label: { id: 'Phishing', en: 'Phishing' },
    hint: { id: 'Pesan/situs palsu yang meminta kata sandi atau data', en: 'Fake message or site asking for passwords or data' },
    category: 'fraud/phishing',
  },
  {
    key: 'sql-injection',
    label: { id: 'SQL injection', en: 'SQL injection' },
    hint: { id: 'Aplikasi dibobol melalui celah basis data', en: 'An application was broken into through its database queries' },
    category: 'intrusions/application-compromise',
  },
  {
    key: 'malware',
    label: { id: 'Malware', en: 'Malware' },
    hint: { id: 'Komputer atau server terinfeksi program jahat', en: 'A computer or server is infected with malicious software' },
    category: 'malicious-code/infected-system',
  },
  {
    key: 'ransomware',
    label: { id: 'Ransomware', en: 'Ransomware' },
    hint: { id: 'Data dienkripsi dan diminta tebusan', en: 'Data was encrypted and a ransom demanded' },
    category: 'information-content-security/unauthorised-information-modification',
  },
  {
    key: 'data-leak',
    label: { id: 'Kebocoran data', en: 'Data leak' },
    hint: { id: 'Data pribadi atau rahasia tersebar/diperjualbelikan', en: 'Personal or confidential data was published or sold' },
    category: 'information-content-security/data-leak',
  },
  {
    key: 'account-takeover',
    label: { id: 'Akun diambil alih', en: 'Account takeover' },
    hint: {
      id: 'Akun e-mail/media sosial/aplikasi OPD dikuasai pihak lain',
      en: 'An OPD e-mail, social-media or application account was taken over',
    },
    category: 'intrusions/unprivileged-account-compromise',
  },
];
