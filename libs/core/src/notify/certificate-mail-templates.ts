import type { MailTemplateDefinition } from './mail-templates.js';

/**
 * Mail of the e-signature certificate service (libs/certificates), Bahasa Indonesia first.
 * Spread into MAIL_TEMPLATES; kept in its own file because the service has many of them.
 */
const FOOTER_ID = 'Pesan ini dikirim otomatis oleh Sandi, layanan persandian. Mohon tidak membalas e-mail ini.';
const FOOTER_EN = 'This message was sent automatically by Sandi, the persandian services platform. Please do not reply.';
const LINK_NOTE_ID =
  'Tautan ini rahasia, hanya dapat dipakai satu kali, dan berlaku sampai {{expiresAt}}. Jangan teruskan kepada siapa pun.';
const LINK_NOTE_EN = 'This link is secret, works once, and is valid until {{expiresAt}}. Do not forward it to anyone.';

function define<T extends Record<string, MailTemplateDefinition>>(t: T): T {
  return t;
}

export const CERTIFICATE_MAIL_TEMPLATES = define({
  'certificates.identity_link': {
    vars: { name: 'text', number: 'text', procedure: 'text', link: 'text', expiresAt: 'datetime', note: 'text' },
    id: {
      subject: 'Lengkapi data identitas untuk sertifikat elektronik ({{number}})',
      text: [
        'Yth. {{name}},',
        'Verifikator telah mendaftarkan permohonan {{procedure}} sertifikat elektronik (tanda tangan elektronik) atas nama Anda dengan nomor {{number}}.',
        '{{note}}',
        'Silakan isi data identitas Anda sesuai KTP melalui tautan berikut: {{link}}',
        LINK_NOTE_ID,
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Complete your identity data for the electronic certificate ({{number}})',
      text: [
        'Dear {{name}},',
        'A verifier has registered an electronic-signature certificate {{procedure}} request for you under number {{number}}.',
        '{{note}}',
        'Please fill in your identity data as on your identity card (KTP) here: {{link}}',
        LINK_NOTE_EN,
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.passphrase_link': {
    vars: { name: 'text', number: 'text', link: 'text', expiresAt: 'datetime' },
    id: {
      subject: 'Buat passphrase sertifikat elektronik Anda ({{number}})',
      text: [
        'Yth. {{name}},',
        'Data identitas Anda untuk permohonan {{number}} telah diverifikasi oleh Verifikator.',
        'Buat passphrase (kata sandi tanda tangan elektronik) melalui tautan berikut: {{link}}',
        'Passphrase hanya Anda yang tahu: kami tidak menyimpannya dan tidak dapat memulihkannya. Tanpa passphrase, dokumen tidak dapat ditandatangani.',
        LINK_NOTE_ID,
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Set the passphrase of your electronic certificate ({{number}})',
      text: [
        'Dear {{name}},',
        'The verifier has verified your identity data for request {{number}}.',
        'Set your passphrase (the password of your electronic signature) here: {{link}}',
        'Only you know the passphrase: we do not store it and cannot recover it. Without it, documents cannot be signed.',
        LINK_NOTE_EN,
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.ra_request': {
    vars: { number: 'text', procedure: 'text', name: 'text', unit: 'text', applicationId: 'text' },
    id: {
      subject: 'Permohonan {{procedure}} sertifikat {{number}} menunggu verifikasi RA',
      text: [
        'Permohonan {{procedure}} sertifikat elektronik {{number}} atas nama {{name}} ({{unit}}) telah diajukan Verifikator dan menunggu verifikasi Registration Authority.',
        'Buka: {{appUrl}}/sertifikat/permohonan/{{applicationId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Certificate {{procedure}} request {{number}} awaits RA verification',
      text: [
        'Electronic certificate {{procedure}} request {{number}} for {{name}} ({{unit}}) was submitted by the verifier and awaits verification by the Registration Authority.',
        'Open: {{appUrl}}/sertifikat/permohonan/{{applicationId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.completed': {
    vars: { name: 'text', number: 'text', outcome: 'text', serial: 'text', notAfter: 'datetime' },
    id: {
      subject: 'Permohonan sertifikat elektronik {{number}} selesai',
      text: [
        'Yth. {{name}},',
        '{{outcome}}',
        'Nomor seri sertifikat: {{serial}}. Berlaku sampai: {{notAfter}}.',
        'Sertifikat dan rantai CA dapat diunduh, dan dokumen dapat ditandatangani serta diverifikasi di {{appUrl}}/tte',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Electronic certificate request {{number}} completed',
      text: [
        'Dear {{name}},',
        '{{outcome}}',
        'Certificate serial number: {{serial}}. Valid until: {{notAfter}}.',
        'The certificate and the CA chain can be downloaded, and documents signed and verified, at {{appUrl}}/tte',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.completed_own_key': {
    vars: { name: 'text', number: 'text', serial: 'text', notAfter: 'datetime', certificatePem: 'text' },
    id: {
      subject: 'Sertifikat elektronik Anda untuk kunci Anda sendiri telah terbit ({{number}})',
      text: [
        'Yth. {{name}},',
        'Registration Authority telah menerbitkan sertifikat elektronik untuk permintaan sertifikat (CSR) yang Anda kirim pada permohonan {{number}}.',
        'Nomor seri: {{serial}}. Berlaku sampai: {{notAfter}}.',
        'Kunci privat tetap hanya ada pada Anda: tanda tangani dokumen dengan perangkat Anda sendiri; platform ini tidak dapat menandatangani atas nama Anda. Pasang sertifikat berikut bersama kunci Anda, dan rantai CA dari {{appUrl}}/api/v1/pki/ca/chain.pem:',
        '{{certificatePem}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Your electronic certificate for your own key has been issued ({{number}})',
      text: [
        'Dear {{name}},',
        'The Registration Authority has issued an electronic certificate for the certificate request (CSR) you sent with request {{number}}.',
        'Serial number: {{serial}}. Valid until: {{notAfter}}.',
        'The private key stays with you alone: sign documents with your own tools; this platform cannot sign on your behalf. Install the certificate below with your key, and the CA chain from {{appUrl}}/api/v1/pki/ca/chain.pem:',
        '{{certificatePem}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.revoked': {
    vars: { name: 'text', number: 'text', serial: 'text', reason: 'text', revokedAt: 'datetime' },
    id: {
      subject: 'Sertifikat elektronik Anda telah dicabut ({{number}})',
      text: [
        'Yth. {{name}},',
        'Sertifikat elektronik Anda dengan nomor seri {{serial}} telah dicabut pada {{revokedAt}} (alasan: {{reason}}), sesuai permohonan pencabutan {{number}} yang telah diverifikasi Registration Authority.',
        'Tanda tangan yang dibuat sebelum waktu pencabutan tetap dapat diverifikasi; sertifikat ini tidak dapat lagi dipakai untuk menandatangani.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Your electronic certificate has been revoked ({{number}})',
      text: [
        'Dear {{name}},',
        'Your electronic certificate with serial number {{serial}} was revoked at {{revokedAt}} (reason: {{reason}}), under revocation request {{number}} verified by the Registration Authority.',
        'Signatures made before the revocation time can still be verified; the certificate can no longer be used to sign.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.refused': {
    vars: { name: 'text', number: 'text', procedure: 'text', reason: 'text' },
    id: {
      subject: 'Permohonan {{procedure}} sertifikat {{number}} ditolak',
      text: [
        'Yth. {{name}},',
        'Permohonan {{procedure}} sertifikat elektronik {{number}} ditolak oleh Registration Authority.',
        'Alasan: {{reason}}',
        'Silakan hubungi Verifikator di Bidang Persandian untuk langkah selanjutnya.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Certificate {{procedure}} request {{number}} refused',
      text: [
        'Dear {{name}},',
        'Electronic certificate {{procedure}} request {{number}} was refused by the Registration Authority.',
        'Reason: {{reason}}',
        'Please contact the verifier at the persandian office for the next steps.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.expiring': {
    vars: { name: 'text', holder: 'text', serial: 'text', notAfter: 'datetime', days: 'text' },
    id: {
      subject: 'Sertifikat elektronik {{holder}} berakhir dalam {{days}} hari',
      text: [
        'Yth. {{name}},',
        'Sertifikat elektronik atas nama {{holder}} (nomor seri {{serial}}) berakhir pada {{notAfter}}, {{days}} hari lagi.',
        'Ajukan pembaruan (perpanjangan masa berlaku) melalui Verifikator sebelum tanggal tersebut agar penandatanganan dokumen tidak terhenti.',
        'Buka: {{appUrl}}/sertifikat',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Electronic certificate of {{holder}} expires in {{days}} days',
      text: [
        'Dear {{name}},',
        'The electronic certificate of {{holder}} (serial number {{serial}}) expires at {{notAfter}}, in {{days}} days.',
        'Ask the verifier for a renewal before then so that document signing is not interrupted.',
        'Open: {{appUrl}}/sertifikat',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.signing_locked': {
    vars: { name: 'text', serial: 'text', until: 'datetime', attempts: 'text' },
    id: {
      subject: 'Penandatanganan dengan sertifikat Anda dikunci sementara',
      text: [
        'Yth. {{name}},',
        'Passphrase yang salah dimasukkan {{attempts}} kali berturut-turut untuk sertifikat {{serial}}. Penandatanganan dikunci sampai {{until}}.',
        'Jika bukan Anda yang mencoba, segera hubungi Verifikator: passphrase Anda mungkin sedang ditebak orang lain.',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Signing with your certificate is temporarily locked',
      text: [
        'Dear {{name}},',
        'A wrong passphrase was entered {{attempts}} times in a row for certificate {{serial}}. Signing is locked until {{until}}.',
        'If this was not you, contact the verifier at once: someone may be guessing your passphrase.',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
  'certificates.overdue': {
    vars: { number: 'text', procedure: 'text', name: 'text', waiting: 'text', dueAt: 'datetime', applicationId: 'text' },
    id: {
      subject: 'Permohonan sertifikat {{number}} melewati batas waktu layanan',
      text: [
        'Permohonan {{procedure}} sertifikat elektronik {{number}} atas nama {{name}} belum selesai, padahal batas waktu layanan (3 hari kerja menurut Standar Pelayanan) berakhir {{dueAt}}.',
        'Saat ini menunggu: {{waiting}}.',
        'Mohon tindak lanjuti: {{appUrl}}/sertifikat/permohonan/{{applicationId}}',
        FOOTER_ID,
      ].join('\n\n'),
    },
    en: {
      subject: 'Certificate request {{number}} is past its service time',
      text: [
        'Electronic certificate {{procedure}} request {{number}} for {{name}} is not finished, although its service time (3 working days under the service standard) ended {{dueAt}}.',
        'Now waiting on: {{waiting}}.',
        'Please follow up: {{appUrl}}/sertifikat/permohonan/{{applicationId}}',
        FOOTER_EN,
      ].join('\n\n'),
    },
  },
});
