// The verification page: checks a certificate's QR token, PDF or typed code in the browser,
// against the issuer's keys and status list fetched from this site only.
import * as ed from "./vendor/noble-ed25519.js";
import canonicalize from "./vendor/canonicalize.js";

const NBSP = "\u00a0";
const DAY = 86400;
const MAX_STATUS_AGE = 31 * DAY;
const CERTIFICATE_PREFIX = "urn:certify:certificate:";

// Verdicts: the label in each language and how it is shown.
const VERDICTS = {
  VALID: { fr: "VALIDE", en: "VALID", tone: "valid", sign: "✔" },
  EXPIRED: { fr: "EXPIRÉ", en: "EXPIRED", tone: "refused", sign: "✖" },
  NOT_YET_VALID: { fr: "PAS ENCORE VALIDE", en: "NOT YET VALID", tone: "warn", sign: "⏳" },
  REVOKED: { fr: "RÉVOQUÉ", en: "REVOKED", tone: "refused", sign: "✖" },
  BAD_SIGNATURE: { fr: "SIGNATURE INVALIDE", en: "BAD SIGNATURE", tone: "refused", sign: "✖" },
  UNKNOWN_KEY: { fr: "CLÉ INCONNUE", en: "UNKNOWN KEY", tone: "refused", sign: "✖" },
  STATUS_UNKNOWN: { fr: "STATUT INCONNU", en: "STATUS UNKNOWN", tone: "warn", sign: "?" },
};

const TEXT = {
  fr: {
    title: "Vérifier un certificat",
    skip: "Aller au résultat",
    waiting: "Scannez le QR code d'un certificat, déposez son PDF ou saisissez son numéro et son code de vérification.",
    pdfTitle: "Vérifier un PDF",
    dropHint: "Déposez ici le PDF du certificat, ou",
    choosePdf: "Choisir un PDF",
    codeTitle: "Sans appareil photo",
    codeHint: "Saisissez le numéro et le code de vérification imprimés sous le QR code.",
    serialLabel: "Numéro du certificat",
    codeLabel: "Code de vérification",
    check: "Vérifier",
    privacy: `La vérification se fait dans votre navigateur${NBSP}: le contenu du QR code n'est envoyé à aucun serveur.`,
    langButton: "English",
    langLabel: "Read this page in English",
    working: "Vérification en cours…",
    holder: "Titulaire",
    programme: "Programme",
    competencies: "Compétences",
    serial: "Numéro",
    issued: "Délivré le",
    validity: "Valable",
    validityRange: (from, until) => `du ${from} au ${until} inclus`,
    code: "Code de vérification",
    source: "Vérifié depuis",
    fromToken: "le QR code",
    fromPdf: "le fichier PDF (attestation jointe)",
    compare: (competencies) => `Comparez ces informations avec le certificat papier${NBSP}: le nom, le programme, ${competencies ? "les compétences, " : ""}le numéro, les dates et le code de vérification imprimés doivent être exactement les mêmes. Sinon, le papier a été modifié.`,
    comparePdf: `Ces informations viennent de l'attestation signée jointe au PDF. Comparez-les avec la page imprimée ou affichée${NBSP}: elles doivent être les mêmes.`,
    detail: {
      VALID: (d) => `Signature vérifiée${NBSP}; non révoqué selon la liste de l'émetteur du ${d}.`,
      EXPIRED: (d) => `Signature vérifiée, mais la validité a pris fin le ${d}.`,
      NOT_YET_VALID: (d) => `Signature vérifiée, mais le certificat n'est valable qu'à partir du ${d}.`,
      REVOKED: (d) => `L'émetteur a révoqué ce certificat (liste du ${d}).`,
      BAD_SIGNATURE: () => `La signature ne correspond pas au contenu${NBSP}: le certificat a été modifié ou n'a pas été émis par cet émetteur. Aucune information n'est affichée.`,
      MALFORMED: () => `Ce n'est pas un certificat de cet émetteur${NBSP}: le texte lu est illisible ou incomplet.`,
      UNKNOWN_KEY: () => `La clé qui a signé n'est pas une clé publiée de l'émetteur, ou elle a signé en dehors de sa période de validité.`,
      STATUS_UNKNOWN: () => `Signature vérifiée, mais la liste de révocation de l'émetteur est absente, périmée ou non signée${NBSP}: impossible de savoir si le certificat est révoqué.`,
      NO_ATTACHMENT: () => "Ce PDF ne contient pas d'attestation signée (credential.json).",
      NO_CODE: () => `Aucun certificat ne correspond à ce numéro et à ce code${NBSP}: vérifiez la saisie.`,
      NO_SITE: () => `Les clés de l'émetteur n'ont pas pu être chargées depuis ce site${NBSP}; réessayez plus tard.`,
    },
    dateLocale: "fr-FR",
  },
  en: {
    title: "Verify a certificate",
    skip: "Skip to the result",
    waiting: "Scan a certificate's QR code, drop its PDF, or type its serial and verification code.",
    pdfTitle: "Verify a PDF",
    dropHint: "Drop the certificate's PDF here, or",
    choosePdf: "Choose a PDF",
    codeTitle: "No camera?",
    codeHint: "Type the serial and the verification code printed below the QR code.",
    serialLabel: "Certificate serial",
    codeLabel: "Verification code",
    check: "Verify",
    privacy: "Verification happens in your browser: the QR code's content is sent to no server.",
    langButton: "Français",
    langLabel: "Lire cette page en français",
    working: "Verifying…",
    holder: "Holder",
    programme: "Programme",
    competencies: "Competencies",
    serial: "Serial",
    issued: "Issued on",
    validity: "Valid",
    validityRange: (from, until) => `from ${from} to ${until} included`,
    code: "Verification code",
    source: "Verified from",
    fromToken: "the QR code",
    fromPdf: "the PDF file (attached credential)",
    compare: (competencies) => `Compare these details with the paper certificate: the printed name, programme, ${competencies ? "competencies, " : ""}serial, dates and verification code must be exactly the same. If not, the paper was altered.`,
    comparePdf: "These details come from the signed credential attached to the PDF. Compare them with the printed or displayed page: they must be the same.",
    detail: {
      VALID: (d) => `Signature verified; not revoked according to the issuer's list of ${d}.`,
      EXPIRED: (d) => `Signature verified, but its validity ended on ${d}.`,
      NOT_YET_VALID: (d) => `Signature verified, but the certificate is valid only from ${d}.`,
      REVOKED: (d) => `The issuer revoked this certificate (list of ${d}).`,
      BAD_SIGNATURE: () => "The signature does not match the content: the certificate was altered or not issued by this issuer. No details are shown.",
      MALFORMED: () => "Not a certificate of this issuer: the text read is unreadable or incomplete.",
      UNKNOWN_KEY: () => "The signing key is not a published key of the issuer, or it signed outside its validity period.",
      STATUS_UNKNOWN: () => "Signature verified, but the issuer's status list is missing, stale or unsigned: whether the certificate is revoked cannot be told.",
      NO_ATTACHMENT: () => "This PDF holds no signed credential (credential.json).",
      NO_CODE: () => "No certificate matches this serial and code: check what you typed.",
      NO_SITE: () => "The issuer's keys could not be loaded from this site; try again later.",
    },
    dateLocale: "en-GB",
  },
};

let lang = localStorage.getItem("certify-verifier-lang") === "en" ? "en" : "fr";
let shown = null; // the last result, re-drawn when the language changes
let site = null; // {config, keys, status, achievements}

// ---------- encodings ----------

function base64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

function base58btcToBytes(text) {
  if (!text.startsWith("z")) throw new Error("not base58btc");
  let number = 0n;
  const body = text.slice(1);
  for (const character of body) {
    const digit = BASE58.indexOf(character);
    if (digit < 0) throw new Error("not base58");
    number = number * 58n + BigInt(digit);
  }
  const bytes = [];
  while (number > 0n) {
    bytes.unshift(Number(number % 256n));
    number /= 256n;
  }
  const zeros = body.length - body.replace(/^1+/, "").length;
  return Uint8Array.from([...new Array(zeros).fill(0), ...bytes]);
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

function base32(bytes) {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

function verificationCode(signature) {
  const code = base32(signature).slice(0, 10);
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

const utf8 = new TextEncoder();

function decodeJson(segment) {
  const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlToBytes(segment)));
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
  return value;
}

function parseInstant(text) {
  if (typeof text !== "string" || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) {
    throw new Error("not an instant");
  }
  return Date.parse(text) / 1000;
}

// ---------- keys ----------

function keyWindow(key, signedAt, legacy) {
  // Whether a key may have signed at `signedAt` (seconds): made by then, not yet retired.
  const retired = key.retired ? parseInstant(key.retired) : null;
  if (key.revoked) return false; // compromised: nothing it signed is trusted
  if (retired !== null && signedAt >= retired) return false;
  return legacy || parseInstant(key.created) <= signedAt;
}

function keyByMethod(method) {
  return site.keys.find((key) => Array.isArray(key.verificationMethods) && key.verificationMethods.includes(method));
}

async function verifySignature(key, signature, message) {
  try {
    return await ed.verifyAsync(signature, message, base64urlToBytes(key.x), { zip215: false });
  } catch {
    return false;
  }
}

// ---------- Data Integrity (eddsa-jcs-2022) ----------

function proofSet(document) {
  const proof = document.proof;
  const proofs = Array.isArray(proof) ? proof : proof && typeof proof === "object" ? [proof] : [];
  return proofs.every((item) => item && typeof item === "object" && !Array.isArray(item)) ? proofs : [];
}

// The key and moment of a document's eddsa-jcs-2022 proof, or null if it does not verify.
// (The eddsa-rdfc-2022 member of the set needs a JSON-LD processor: standard verifiers check it.)
async function verifyJcs(document) {
  const proofs = proofSet(document);
  const methods = new Set(proofs.map((proof) => proof.verificationMethod));
  const proof = proofs.find((item) => item.cryptosuite === "eddsa-jcs-2022");
  if (!proof || methods.size !== 1) return { ok: false, why: "BAD_SIGNATURE" };
  const key = keyByMethod(proof.verificationMethod);
  if (!key) return { ok: false, why: "UNKNOWN_KEY" };
  const { proofValue, ...config } = proof;
  const unsigned = { ...document };
  delete unsigned.proof;
  if (
    typeof proofValue !== "string" ||
    config.type !== "DataIntegrityProof" ||
    config.proofPurpose !== "assertionMethod" ||
    JSON.stringify(config["@context"]) !== JSON.stringify(document["@context"])
  ) {
    return { ok: false, why: "BAD_SIGNATURE" };
  }
  let signedAt;
  let data;
  try {
    signedAt = parseInstant(config.created);
    const configHash = await sha256(utf8.encode(canonicalize(config)));
    const documentHash = await sha256(utf8.encode(canonicalize(unsigned)));
    data = new Uint8Array([...configHash, ...documentHash]);
    if (!(await verifySignature(key, base58btcToBytes(proofValue), data))) {
      return { ok: false, why: "BAD_SIGNATURE" };
    }
  } catch {
    return { ok: false, why: "BAD_SIGNATURE" };
  }
  return { ok: true, key, signedAt, legacy: !Array.isArray(document.proof) };
}

function issuerId(document) {
  const issuer = document.issuer;
  return issuer && typeof issuer === "object" ? issuer.id : issuer;
}

// ---------- status list ----------

async function gunzip(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// {bits, published} of the site's status list if it verifies and is fresh, {bits, stale} if
// it verifies but is stale (a revocation in it still holds), or null.
async function statusList() {
  const list = site.status;
  if (!list || typeof list !== "object") return null;
  const checked = await verifyJcs(list);
  if (!checked.ok || checked.key.issuer !== site.config.issuer || issuerId(list) !== site.config.issuer) return null;
  if (!keyWindow(checked.key, checked.signedAt, false) || list.id !== site.config.statusList) return null;
  try {
    const subject = list.credentialSubject;
    if (!list.type.includes("BitstringStatusListCredential") || subject.statusPurpose !== "revocation") return null;
    const encoded = subject.encodedList;
    if (!encoded.startsWith("u")) return null;
    const bits = await gunzip(base64urlToBytes(encoded.slice(1)));
    const published = parseInstant(list.validFrom);
    const until = parseInstant(list.validUntil);
    const now = Date.now() / 1000;
    const stale = !(published <= now && now <= until) || now - published > MAX_STATUS_AGE;
    return { bits, published, stale };
  } catch {
    return null;
  }
}

function revokedIn(list, index) {
  if (!Number.isInteger(index) || index < 0 || index >= list.bits.length * 8) return null;
  return (list.bits[index >> 3] & (0x80 >> (index % 8))) !== 0;
}

// The verdict on authentic claims: revocation first, then dates, then the list's freshness.
async function judge(claims) {
  const list = await statusList();
  const revoked = list ? revokedIn(list, claims.statusIndex) : null;
  if (revoked) return { verdict: "REVOKED", claims, at: list.published };
  const now = Date.now() / 1000;
  if (now < claims.notBefore) return { verdict: "NOT_YET_VALID", claims, at: claims.notBefore };
  if (now >= claims.expires) return { verdict: "EXPIRED", claims, at: claims.expires - DAY };
  if (!list || list.stale || revoked === null || claims.statusListOther) {
    return { verdict: "STATUS_UNKNOWN", claims };
  }
  return { verdict: "VALID", claims, at: list.published };
}

// ---------- the token of a QR code ----------

function dayStart(isoDay) {
  if (typeof isoDay !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(isoDay)) throw new Error("not a day");
  return Date.parse(`${isoDay}T00:00:00Z`) / 1000;
}

function text(value) {
  if (typeof value !== "string" || !value) throw new Error("not a string");
  return value;
}

function count(value) {
  if (!Number.isInteger(value) || value < 0) throw new Error("not a count");
  return value;
}

async function verifyToken(token) {
  const parts = token.trim().split(".");
  if (parts.length !== 3) return { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  let header;
  let payload;
  let signature;
  try {
    header = decodeJson(parts[0]);
    payload = decodeJson(parts[1]);
    signature = base64urlToBytes(parts[2]);
  } catch {
    return { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  }
  const names = Object.keys(header).sort().join(",");
  const legacy = header.alg === "EdDSA" && names === "alg,kid";
  if (!legacy && !(header.alg === "Ed25519" && header.typ === "JWT" && names === "alg,kid,typ")) {
    return { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  }
  const key = site.keys.find((item) => item.kid === header.kid);
  if (!key) return { verdict: "UNKNOWN_KEY" };
  if (!(await verifySignature(key, signature, utf8.encode(`${parts[0]}.${parts[1]}`)))) {
    return { verdict: "BAD_SIGNATURE" };
  }
  let claims;
  try {
    claims = legacy ? legacyClaims(payload) : tokenClaims(payload, key);
  } catch {
    return { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  }
  if (claims === null) return { verdict: "UNKNOWN_KEY" };
  if (claims.issuedOn > claims.signedAt - (claims.signedAt % DAY)) return { verdict: "BAD_SIGNATURE" };
  if (!keyWindow(key, claims.signedAt, legacy)) return { verdict: "UNKNOWN_KEY" };
  claims.code = verificationCode(signature);
  claims.source = "token";
  return judge(claims);
}

// Signed since tokens name the competencies certified ("cc", codes only), and before.
const TOKEN_CLAIMS = ["cc,exp,hn,iat,is,iss,jti,nbf,pc,si", "exp,hn,iat,is,iss,jti,nbf,pc,si"];

function codes(value) {
  if (!Array.isArray(value)) throw new Error("not a list");
  const list = value.map(text);
  if (new Set(list).size !== list.length) throw new Error("a code twice");
  return list;
}

function tokenClaims(payload, key) {
  if (!TOKEN_CLAIMS.includes(Object.keys(payload).sort().join(","))) throw new Error("unexpected claims");
  if (payload.iss !== key.issuer) return null;
  const notBefore = count(payload.nbf);
  const expires = count(payload.exp);
  if (notBefore % DAY || expires % DAY) throw new Error("not whole days");
  return {
    serial: text(payload.jti),
    holder: text(payload.hn),
    programme: text(payload.pc),
    programmeCode: text(payload.pc),
    competencyCodes: "cc" in payload ? codes(payload.cc) : null,
    issuedOn: dayStart(payload.is),
    notBefore,
    expires,
    statusIndex: count(payload.si),
    signedAt: count(payload.iat),
  };
}

function legacyClaims(payload) {
  const expected = "hn,is,pc,si,sn,vf,vu";
  if (Object.keys(payload).sort().join(",") !== expected) throw new Error("unexpected claims");
  const issuedOn = dayStart(payload.is);
  return {
    serial: text(payload.sn),
    holder: text(payload.hn),
    programme: text(payload.pc),
    programmeCode: text(payload.pc),
    competencyCodes: null,
    issuedOn,
    notBefore: dayStart(payload.vf),
    expires: dayStart(payload.vu) + DAY,
    statusIndex: count(payload.si),
    signedAt: issuedOn,
  };
}

// ---------- a dropped PDF: its attached credential ----------

async function credentialOfPdf(bytes) {
  const pdfjs = await import("./vendor/pdf.min.js");
  pdfjs.GlobalWorkerOptions.workerSrc = new URL("./vendor/pdf.worker.min.js", import.meta.url).href;
  const task = pdfjs.getDocument({ data: bytes, isEvalSupported: false, disableFontFace: true });
  const pdf = await task.promise;
  try {
    const attachments = await pdf.getAttachments();
    const entries = attachments instanceof Map ? [...attachments.entries()] : Object.entries(attachments || {});
    const found = entries.find(([, entry]) => entry.filename === "credential.json");
    if (!found) return null;
    const [id, entry] = found;
    const content = entry.content ?? (await pdf.getAttachmentContent(id)); // pdf.js 6 reads it lazily
    return content ? JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(content)) : null;
  } finally {
    await task.destroy();
  }
}

async function verifyCredential(credential) {
  if (!credential || typeof credential !== "object" || proofSet(credential).length === 0) {
    return { verdict: "BAD_SIGNATURE" };
  }
  const checked = await verifyJcs(credential);
  if (!checked.ok) return { verdict: checked.why };
  if (issuerId(credential) !== checked.key.issuer) return { verdict: "UNKNOWN_KEY" };
  let claims;
  try {
    const subject = credential.credentialSubject;
    const names = subject.identifier.filter((item) => item.identityType === "name" && item.hashed === false);
    const status = credential.credentialStatus;
    if (names.length !== 1 || status.statusPurpose !== "revocation") throw new Error("not a certificate");
    const achievement = subject.achievement;
    const validUntil = parseInstant(credential.validUntil);
    claims = {
      serial: text(credential.id).replace(CERTIFICATE_PREFIX, ""),
      holder: text(names[0].identityHash),
      programme: `${text(achievement.humanCode)} — ${text(achievement.name)}`,
      competencies: achievement.criteria && typeof achievement.criteria.narrative === "string" ? achievement.criteria.narrative : null,
      issuedOn: parseInstant(credential.awardedDate),
      notBefore: parseInstant(credential.validFrom),
      expires: validUntil - (validUntil % DAY) + DAY,
      statusIndex: Number.parseInt(status.statusListIndex, 10),
      statusListOther: status.statusListCredential !== site.config.statusList,
      signedAt: checked.signedAt,
      source: "pdf",
    };
  } catch {
    return { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  }
  if (claims.issuedOn - (claims.issuedOn % DAY) > claims.signedAt - (claims.signedAt % DAY)) {
    return { verdict: "BAD_SIGNATURE" };
  }
  if (!keyWindow(checked.key, claims.signedAt, checked.legacy)) return { verdict: "UNKNOWN_KEY" };
  return judge(claims);
}

// ---------- a typed serial and code ----------

function normalisedCode(value) {
  const code = value.toUpperCase().replace(/[^A-Z2-7]/g, "");
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : null;
}

async function tokenOfCode(serial, code) {
  const key = `${serial.trim().toUpperCase()}|${code}`;
  const hex = [...(await sha256(utf8.encode(key)))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const response = await fetch(`c/${hex}.jwt`, { cache: "no-store" });
  return response.ok ? (await response.text()).trim() : null;
}

// ---------- showing ----------

function own(object, name) {
  // object[name] if it is the object's own member (never one of Object.prototype's).
  return object && typeof object === "object" && !Array.isArray(object) && Object.hasOwn(object, name)
    ? object[name]
    : undefined;
}

function inLanguage(titles) {
  // A {fr, en} title in the page's language, else in the other one, else null.
  for (const name of lang === "fr" ? ["fr", "en"] : ["en", "fr"]) {
    const title = own(titles, name);
    if (typeof title === "string" && title.trim()) return title;
  }
  return null;
}

function programmeOf(code) {
  // What the site publishes of a programme (achievements.json), or undefined.
  return own(own(site && site.achievements, "programmes"), code);
}

function named(code, titles) {
  // "CODE — title", or the code alone when the site does not know it.
  const title = inLanguage(titles);
  return title ? `${code} — ${title}` : code;
}

function competencyList(programmeCode, competencyCodes) {
  // The competencies a token names, each by code and title, as a list.
  const known = own(programmeOf(programmeCode), "competencies");
  const list = element("ul", { class: "competencies" });
  for (const code of competencyCodes) list.append(element("li", {}, named(code, own(known, code))));
  return list;
}

function formatDay(seconds) {
  const format = new Intl.DateTimeFormat(TEXT[lang].dateLocale, { dateStyle: "long", timeZone: "UTC" });
  return format.format(new Date(seconds * 1000));
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

function draw() {
  const t = TEXT[lang];
  document.documentElement.lang = lang;
  document.title = t.title;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t[node.dataset.i18n];
  const toggle = document.getElementById("lang");
  toggle.textContent = t.langButton;
  toggle.lang = lang === "fr" ? "en" : "fr";
  toggle.setAttribute("aria-label", t.langLabel);
  document.getElementById("issuer-name").textContent = site && site.config ? site.config.issuerName : "";
  const box = document.getElementById("result");
  if (!shown) return;
  box.replaceChildren();
  if (shown.working || shown.notice) {
    box.append(element("p", { class: "waiting", id: "notice" }, shown.working ? t.working : t.detail[shown.notice]()));
    return;
  }
  const verdict = VERDICTS[shown.verdict];
  const heading = element("p", { class: `verdict ${verdict.tone}`, id: "verdict", "data-verdict": shown.verdict });
  heading.append(element("span", { class: "sign", "aria-hidden": "true" }, verdict.sign), verdict[lang]);
  box.append(heading);
  const why = shown.why || shown.verdict;
  box.append(element("p", { class: "detail" }, t.detail[why](shown.at === undefined ? "" : formatDay(shown.at))));
  const claims = shown.claims;
  if (!claims) return;
  const fields = element("dl", { class: "fields" });
  const add = (label, value, className) => {
    fields.append(element("dt", {}, label), element("dd", className ? { class: className } : {}, value));
  };
  add(t.holder, claims.holder);
  if (claims.programmeCode) {
    add(t.programme, named(claims.programmeCode, own(programmeOf(claims.programmeCode), "title")), "programme");
  } else {
    add(t.programme, claims.programme, "programme");
  }
  const listed = Boolean(claims.competencyCodes && claims.competencyCodes.length);
  if (listed) {
    add(t.competencies, competencyList(claims.programmeCode, claims.competencyCodes), "competencies");
  } else if (claims.competencies) {
    add(t.competencies, claims.competencies, "narrative");
  }
  add(t.serial, claims.serial);
  add(t.issued, formatDay(claims.issuedOn));
  add(t.validity, t.validityRange(formatDay(claims.notBefore), formatDay(claims.expires - DAY)));
  if (claims.code) add(t.code, claims.code, "code");
  add(t.source, claims.source === "pdf" ? t.fromPdf : t.fromToken);
  box.append(fields, element("p", { class: "compare" }, claims.source === "pdf" ? t.comparePdf : t.compare(listed)));
}

async function show(work) {
  shown = { working: true };
  draw();
  try {
    if (!site.keys) {
      shown = { notice: "NO_SITE" };
    } else {
      shown = await work();
    }
  } catch (error) {
    console.error(error);
    shown = { verdict: "BAD_SIGNATURE", why: "MALFORMED" };
  }
  draw();
}

// ---------- start ----------

async function fetchJson(url) {
  try {
    const response = await fetch(url, { cache: "no-store" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

async function load() {
  const config = await fetchJson("config.json");
  const keys = config ? await fetchJson(config.keysFile) : null;
  const status = config ? await fetchJson(config.statusListFile) : null;
  // Titles of the codes a token names; a site published before them has none (codes alone).
  const achievements = config && typeof config.achievementsFile === "string" ? await fetchJson(config.achievementsFile) : null;
  site = { config, keys: keys && Array.isArray(keys.keys) ? keys.keys : null, status, achievements };
}

function tokenOfHash() {
  const hash = location.hash.replace(/^#/, "");
  try {
    return decodeURIComponent(hash).trim() || null;
  } catch {
    return hash.trim() || null; // not percent-encoded: read as it is (and refused if malformed)
  }
}

async function start() {
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "fr" ? "en" : "fr";
    localStorage.setItem("certify-verifier-lang", lang);
    draw();
  });
  await load();
  draw();
  const token = tokenOfHash();
  if (token) await show(() => verifyToken(token));
  window.addEventListener("hashchange", () => {
    const next = tokenOfHash();
    if (next) show(() => verifyToken(next));
  });
  const drop = document.getElementById("drop");
  const input = document.getElementById("pdf-file");
  const checkPdf = (file) =>
    show(async () => {
      const credential = await credentialOfPdf(new Uint8Array(await file.arrayBuffer()));
      return credential === null ? { verdict: "BAD_SIGNATURE", why: "NO_ATTACHMENT" } : verifyCredential(credential);
    });
  input.addEventListener("change", () => input.files[0] && checkPdf(input.files[0]));
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer.files[0];
    if (file) checkPdf(file);
  });
  document.getElementById("code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const serial = document.getElementById("serial").value;
    const code = normalisedCode(document.getElementById("code").value);
    show(async () => {
      const token = code && serial.trim() ? await tokenOfCode(serial, code) : null;
      return token ? verifyToken(token) : { notice: "NO_CODE" };
    });
  });
  document.body.dataset.ready = "true";
}

start();
