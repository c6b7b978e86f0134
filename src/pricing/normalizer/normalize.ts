/**
 * Listing title -> structured specs. Pure and total: any input gives a NormalizedSpecs, unknown
 * or unusable parts become null fields with a reason. One tokenization, then small extractors
 * over the token array (anchored, precompiled regexes and Map/Set lookups only).
 */
import { loadCatalogs, type Catalogs } from '../catalog/catalogs';
import type { DriveSpec, ListingKind, NormalizeInput, NormalizedSpecs, Span } from '../types';
import { cleanTitle, tokenize, type Token } from './tokenize';

// ---------------------------------------------------------------------------------------------
// Vocabulary

const VENDORS = new Map<string, string>([
  ['dell', 'Dell'],
  ['poweredge', 'Dell'],
  ['emc', 'Dell'],
  ['hp', 'HPE'],
  ['hpe', 'HPE'],
  ['proliant', 'HPE'],
  ['supermicro', 'Supermicro'],
  ['superserver', 'Supermicro'],
  ['smc', 'Supermicro'],
  ['lenovo', 'Lenovo'],
  ['thinksystem', 'Lenovo'],
  ['ibm', 'IBM'],
  ['cisco', 'Cisco'],
  ['ucs', 'Cisco'],
  ['gigabyte', 'Gigabyte'],
  ['inspur', 'Inspur'],
  ['huawei', 'Huawei'],
  ['fusionserver', 'Huawei'],
  ['quanta', 'Quanta'],
  ['quantagrid', 'Quanta'],
  ['fujitsu', 'Fujitsu'],
  ['primergy', 'Fujitsu'],
  ['asus', 'ASUS'],
  ['wiwynn', 'Wiwynn'],
  ['nvidia', 'NVIDIA'],
  ['amd', 'AMD'],
  ['intel', 'Intel'],
  ['samsung', 'Samsung'],
  ['hynix', 'SK hynix'],
  ['skhynix', 'SK hynix'],
  ['micron', 'Micron'],
  ['crucial', 'Micron'],
  ['kingston', 'Kingston'],
  ['seagate', 'Seagate'],
  ['hgst', 'HGST'],
  ['hitachi', 'HGST'],
  ['toshiba', 'Toshiba'],
  ['wd', 'Western Digital'],
  ['zotac', 'Zotac'],
  ['msi', 'MSI'],
  ['evga', 'EVGA'],
  ['pny', 'PNY'],
  ['sapphire', 'Sapphire'],
  ['xfx', 'XFX'],
  ['powercolor', 'PowerColor'],
  ['palit', 'Palit'],
  ['gainward', 'Gainward'],
]);
const SERVER_VENDORS = new Set([
  'Dell',
  'HPE',
  'Supermicro',
  'Lenovo',
  'Cisco',
  'Gigabyte',
  'Inspur',
  'Huawei',
  'Quanta',
  'Fujitsu',
  'IBM',
  'Wiwynn',
]);

const SERVER_WORDS = new Set([
  'server',
  'servers',
  'barebone',
  'barebones',
  'barbone',
  'chassis',
  'rackmount',
  'node',
  'nodes',
  'superserver',
  'poweredge',
  'proliant',
  'thinksystem',
  'fusionserver',
  'quantagrid',
  'primergy',
  'сервер',
  'серверная',
  'платформа',
  'блейд',
  'servidor',
  'serveur',
]);
const BAREBONE_WORDS = new Set(['barebone', 'barebones', 'barbone', 'платформа', 'cto']);
/** Words of a lot size: "lot of 5", "5 pcs", "10 Stück". */
const LOT_WORDS = new Set(['lot', 'lots', 'pcs', 'stück', 'stk', 'pieces']);

/** Accessories: the thing sold when it is the head of the title. Weight 2 = strong. */
const ACCESSORY = new Map<string, number>([
  ['backplane', 2],
  ['cable', 2],
  ['cables', 2],
  ['kabel', 1],
  ['rail', 2],
  ['rails', 2],
  ['caddy', 2],
  ['caddies', 2],
  ['tray', 2],
  ['trays', 2],
  ['sled', 1],
  ['heatsink', 2],
  ['heatsinks', 2],
  ['sink', 2],
  ['sinks', 2],
  ['kühler', 2],
  ['kühlkörper', 2],
  ['cooler', 1],
  ['fan', 1],
  ['fans', 1],
  ['lüfter', 1],
  ['shroud', 2],
  ['bezel', 2],
  ['riser', 2],
  ['motherboard', 2],
  ['mainboard', 2],
  ['systemboard', 2],
  ['adapter', 2],
  ['attachment', 2],
  ['bridge', 2],
  ['baffle', 2],
  ['bracket', 2],
  ['brackets', 2],
  ['cage', 2],
  ['housing', 2],
  ['radiator', 2],
  ['blower', 2],
  ['turbine', 2],
  ['mount', 1],
  ['mounting', 1],
  ['cover', 1],
  ['holder', 2],
  ['controller', 1],
  ['raid', 1],
  ['nic', 1],
  ['ethernet', 1],
  ['transceiver', 2],
  ['gbic', 2],
  ['battery', 2],
  ['bbu', 2],
  ['idrac', 0],
  ['panel', 1],
  ['screws', 2],
  ['interposer', 2],
  ['module', 0],
  ['board', 1],
  ['platte', 1],
  // Storage and network cards: the item when they head the title.
  ['hba', 2],
  ['expander', 2],
  ['megaraid', 2],
  ['perc', 1],
  ['rndc', 2],
  ['ndc', 2],
  ['sfp+', 1],
  ['qsfp', 1],
  ['qsfp28', 1],
  ['infiniband', 1],
  ['license', 2],
  ['licence', 2],
  ['lizenz', 2],
  ['clip', 2],
  ['carrier', 1],
  ['card', 1],
  ['carte', 1],
  ['karte', 1],
  // Other languages.
  ['ventilateur', 1],
  ['dissipateur', 2],
  ['radiateur', 2],
  ['rahmen', 2],
  ['einbaurahmen', 2],
  ['festplattenrahmen', 2],
  ['кабель', 2],
  ['радиатор', 2],
  ['вентилятор', 1],
  ['салазки', 2],
  ['рельсы', 2],
  ['контроллер', 1],
]);
/** "ConnectX-4", "ConnectX-6 Dx": network adapters named by family. */
const RE_NIC_FAMILY = /^connectx-?\d$/;
/** Network gear sold whole: "other" when it heads the title. */
const NETWORK_GEAR = new Set(['switch', 'switches', 'router', 'firewall', 'коммутатор']);
/** Power supply nouns; "supply" counts after "power", "питания" after "блок". */
const PSU_NOUNS = new Set([
  'psu',
  'psus',
  'netzteil',
  'netzteile',
  'alimentation',
  'stromversorgung',
]);
const NEGATORS = new Set([
  'no',
  'without',
  'ohne',
  'w/o',
  'wo',
  'sans',
  'sin',
  'без',
  'excluding',
  'not',
]);
const WITH_WORDS = new Set([
  'with',
  'w',
  'mit',
  'incl',
  'inkl',
  'including',
  'includes',
  'avec',
  'c',
]);
const FOR_WORDS = new Set(['for', 'für', 'fur', 'fits', 'compatible', 'pour', 'para', 'для']);
const FAN_DESCRIPTORS = new Set([
  'triple',
  'twin',
  'dual',
  'single',
  'quad',
  'triple-fan',
  '2x',
  '3x',
  '2',
  '3',
]);

const SYSTEM_WORDS = new Set([
  'laptop',
  'notebook',
  'thinkpad',
  'ideapad',
  'thinkbook',
  'chromebook',
  'macbook',
  'elitebook',
  'probook',
  'latitude',
  'inspiron',
  'vostro',
  'zenbook',
  'vivobook',
  'desktop',
  'optiplex',
  'elitedesk',
  'prodesk',
  'thinkcentre',
  'thinkstation',
  'handheld',
  'konsole',
  'console',
  'playstation',
  'xbox',
  'all-in-one',
  'imac',
  'tiny',
  'gaming-pc',
  'mini-pc',
  'nuc',
  'windows',
  'win10',
  'win11',
  'w11h',
  'w11p',
  'win11pro',
  'webcam',
]);
const CPU_ITEM = new Set([
  'cpu',
  'processor',
  'prozessor',
  'processeur',
  'procesador',
  'процессор',
  'cpus',
  'processors',
]);
const PRODUCT_LINES = new Set(['ventus', 'windforce', 'shadow', 'eagle', 'gaming', 'twin']);
const DESKTOP_CPU = /^(i[3579]|ryzen|celeron|pentium|snapdragon|athlon|i[3579]-\d{3,5}[a-z0-9]*)$/;
/** The whole words DESKTOP_CPU matches (a word class); only "i5-12400"-style tokens need it. */
const DESKTOP_CPU_WORDS = new Set([
  'i3',
  'i5',
  'i7',
  'i9',
  'ryzen',
  'celeron',
  'pentium',
  'snapdragon',
  'athlon',
]);

const GPU_CONTEXT = new Set([
  'nvidia',
  'tesla',
  'gpu',
  'gpus',
  'graphics',
  'grafikkarte',
  'grafikkarten',
  'accelerator',
  'tensor',
  'cuda',
  'hbm2',
  'hbm2e',
  'hbm3',
  'gddr5',
  'gddr5x',
  'gddr6',
  'gddr6x',
  'gddr7',
  'sxm2',
  'sxm4',
  'sxm5',
  'nvlink',
  'quadro',
  'geforce',
  'radeon',
  'video',
  'ampere',
  'turing',
  'volta',
  'pascal',
  'hopper',
  'ada',
  'grafik',
  'vga',
  'видеокарта',
]);
const GPU_ITEM = new Set([
  'graphics',
  'grafikkarte',
  'grafikkarten',
  'video',
  'gpu',
  'accelerator',
  'vga',
  'card',
]);
const GPU_BRANDS = new Set([
  'geforce',
  'nvidia',
  'zotac',
  'evga',
  'msi',
  'asus',
  'gigabyte',
  'pny',
  'palit',
  'gainward',
  'galax',
  'kfa2',
  'inno3d',
  'colorful',
  'strix',
  'tuf',
  'gaming',
  'founders',
]);

const RAM_WORDS = new Set([
  'ram',
  'memory',
  'ddr3',
  'ddr4',
  'ddr5',
  'ddr-4',
  'ddr-3',
  'ddr-5',
  'ecc',
  'rdimm',
  'lrdimm',
  'dimm',
  'udimm',
  'reg',
  'registered',
  'arbeitsspeicher',
  'speicher',
  'server-speicher',
  'memoria',
  'mémoire',
  'память',
  'sdram',
  'rdimms',
  'lrdimms',
  'ecc-reg',
  'reg-ecc-ddr4',
  'server-arbeitsspeicher',
  'registrierter',
]);
const RAM_ITEM = new Set([
  'rdimm',
  'lrdimm',
  'dimm',
  'udimm',
  'memory',
  'arbeitsspeicher',
  'speicher',
  'server-speicher',
  'sdram',
  'sdramm',
  'server-arbeitsspeicher',
  'ram',
  'rdimms',
  'memória',
  'память',
]);
const DRIVE_WORDS = new Set([
  'ssd',
  'hdd',
  'sas',
  'sata',
  'nvme',
  'u.2',
  'm.2',
  'hd',
  'drive',
  'drives',
  'disk',
  'disks',
  'festplatte',
  'storage',
  'flash',
  'sas3',
  'sata3',
  'sff',
  'lff',
  '10k',
  '15k',
  '7.2k',
  '7200rpm',
  '10krpm',
  '15krpm',
  'rpm',
  'exos',
  'ultrastar',
  'ironwolf',
  'hdds',
  'ssds',
  'emmc',
  'nvme/sas/sata',
]);
const DRIVE_ITEM = new Set([
  'ssd',
  'hdd',
  'drive',
  'festplatte',
  'disk',
  'hdds',
  'ssds',
  'exos',
  'ultrastar',
]);
const PSU_WORDS = new Set(['psu', 'psus', 'power', 'netzteil', 'supply', 'alimentation', 'блок']);

const BOX_ONLY = /\b(box only|empty box|leerkarton|ovp only|only box)\b|\bbox\b.*\bonly\b/;

// Token shapes (anchored, precompiled).
// French and Russian write Go/To and ГБ/ТБ.
const RE_SIZE = /^(\d{1,4}(?:[.,]\d{1,2})?)(gb|g|tb|t|mb|go|to|гб|тб)([a-z]*)$/;
const RE_MODULE = /^(\d{1,3})x(\d{1,4})(gb|g)$/;
const RE_MODULE_R = /^(\d{1,4})(gb|g)x(\d{1,3})$/;
const RE_QTY = /^(\d{1,3})x$/;
const RE_XQTY = /^x(\d{1,3})$/;
const RE_NUM = /^\d{1,4}(?:[.,]\d{1,2})?$/;
const RE_INT = /^\d{1,4}$/;
const RE_WATTS = /^(\d{3,4})w$/;
const RE_BAYS = /^(\d{1,2})(lff|sff|bay|bays|hdd|x2\.5|x3\.5)(\d?)$/;
const RE_U = /^([1-9])u$/;
const RE_NIC = /^(1|10|25|40|50|100|200|400)(gbe|gbase-t|gbit|gb\/s|g)$/;

const RE_E_SERIES = /^e([357])-?(\d{4})([a-z]{0,2})(?:-?(v\d))?$/;
// "6148", "8480+", and OEM parts the catalog lists with a "P-" prefix ("Platinum P-8124").
const RE_METAL_NUM = /^(?:p-)?\d{4}[a-z]{0,2}\+?$/;
const RE_OLD_XEON = /^([xelw])(5\d{3}|7\d{3}|3\d{3})$/;
const RE_XEON_W =
  /^(w-\d{4}[a-z]{0,2}|w[3579]-\d{4}[a-z]{0,2}|e-2\d{3}[a-z]{0,2}|d-\d{4}[a-z]{0,2})$/;
const RE_EPYC_NUM = /^\d[0-9a-z]{3}[a-z0-9]{0,2}$/;
const RE_EPYC_GLUED = /^epyc(\d[0-9a-z]{3}[a-z]{0,2})$/;
const METALS = new Map([
  ['platinum', 'Platinum'],
  ['gold', 'Gold'],
  ['silver', 'Silver'],
  ['bronze', 'Bronze'],
  ['xeon-gold', 'Gold'],
  ['xeon-silver', 'Silver'],
  ['xeon-platinum', 'Platinum'],
  ['xeon-bronze', 'Bronze'],
  ['xeon-g', 'Gold'],
  ['xeon-s', 'Silver'],
  ['xeon-p', 'Platinum'],
  ['xeon-b', 'Bronze'],
]);
const CPU_KEYS = new Set(['e5', 'e7', 'e3', 'xeon', 'epyc', 'threadripper', ...METALS.keys()]);
const GPU_KEYS = new Set(['rtx', 'gtx', 'gt', 'gts', 'quadro', 'radeon', 'rx', 'instinct', 'arc']);
const CHASSIS_KEYS = new Set([
  'dl',
  'ml',
  'as',
  'sys',
  'quantagrid',
  'quantaplex',
  'dgx',
  'hgx',
  'synergy',
]);

// GPU grammar.
const DC_GPUS = new Map<string, string>(
  [
    'a100',
    'a800',
    'h100',
    'h800',
    'h200',
    'h20',
    'b200',
    'b100',
    'gh200',
    'v100',
    'v100s',
    'p100',
    'p40',
    'p4',
    'p6',
    't4',
    't4g',
    'k80',
    'k40',
    'k20',
    'k20x',
    'k10',
    'm40',
    'm60',
    'm10',
    'm4',
    'm6',
    'a2',
    'a10',
    'a10g',
    'a16',
    'a30',
    'a30x',
    'a40',
    'l4',
    'l40',
    'l40s',
    'l40g',
    'l20',
    'a100x',
  ].map((m) => [m, m.toUpperCase()]),
);
const DC_SUFFIX = /^(sxm\d?|pcie|pci-e|nvl|hbm2e?|\d{1,3}gb?|\d{1,3})$/;
const RE_GEFORCE = /^(rtx|gtx|gt|gts)-?(\d{3,4})(ti|super|tisuper)?$/;
const RE_RTX_A = /^(?:rtx-?)?(a[1-6]\d{3}|a[1-6]000)$/;
const RE_QUADRO_OLD = /^([kmpt]\d{3,4}|gv100|gp100)$/;
// Radeon RX numbers: 460-590, then 5300-9070 (Fujitsu "RX2540" is a server).
const RE_RX = /^(?:rx|radeon-rx)-?([45][4-9]0|[5-9]\d{3})(xtx|xt|x|gre|gme)?$/;
const RE_BARE_RX = /^(\d{4})(xtx|xt)$/;
const RE_BARE_GEFORCE = /^(9[5-8]0|10[5-8]0|16[56]0|20[6-8]0|30[5-9]0|40[6-9]0|50[6-9]0)(ti)?$/;
const RE_INSTINCT = /^mi\d{2,3}[a-z]?$/;
const RE_QUADRO_NUM = /^[kmp]\d{4}$/;

// Chassis grammar.
const RE_DELL = /^(r|t|c|m|fc|mx|xe|xr)(\d{3,4})(xd2|xd|xs|xa|d|c)?$/;
const RE_HPE = /^(dl|ml|bl|sl|xl)(\d{2,3})([a-z]?)(?:-?(g|gen)(\d{1,2}))?(\+)?$/;
const RE_GEN = /^(g|gen)(\d{1,2})(\+)?$/;
const RE_SMC = /^(?:(sys|as)-)?(\d{4}[a-z]{1,3}-[a-z0-9+]+(?:-[a-z0-9+]+)*)$/;
const RE_LENOVO = /^(sr|st|sd|se)(\d{3})$/;
const RE_LENOVO_X = /^x(3\d{3})$/;
const RE_CISCO = /^(c|b)(\d{3})$/;
const RE_CISCO_M = /^m(\d)$/;
const RE_HUAWEI = /^(?:rh)?(1288h|2288h|2488h|5288|1288|2288|5885h)$/;
const RE_V = /^v(\d)$/;
const RE_INSPUR = /^nf\d{4}m\d$/;
const RE_GIGA = /^[gr]\d{3}-[a-z0-9]{3}$/;
// "SYS-221H-TNR", "SYS-E300-9D-8CN8TP", "AS-1014S-WTRT": with the prefix any SMC model shape.
const RE_SMC_PREFIXED = /^(sys|as)-([a-z]?\d{3,4}[a-z]{0,3}-[a-z0-9+]+(?:-[a-z0-9+]+)*)$/;
// Cisco product ids: "UCSC-C240-M4SX", "UCSB-B200-M5".
const RE_CISCO_PID = /^ucs[bc]-([bc]\d{3})-m(\d)[a-z0-9]*$/;
// ASUS server lines: "ESC8000 G4", "RS720-E9".
const RE_ASUS = /^(esc|rs)\d{3,4}[a-z]{0,2}(?:-[a-z0-9]+)?$/;
const RE_WIWYNN = /^(sv|tp)\d{4}[a-z]?(?:g\d)?$/;
const RE_QUANTA = /^[a-z]\d{2}[a-z]?-\d?u$/;
const RE_ASUS_GEN = /^g\d{1,2}$/;
const RE_DGX = /^dgx-\d$/;
// Fujitsu Primergy "RX2540 M4".
const RE_FUJITSU_RX = /^rx\d{4}$/;

// Part numbers, grouped by the first character they can start with ('a' = any letter a-z).
const PART_PATTERNS: Array<[string, RegExp]> = [
  ['0', /^\d{6}-(b21|\d{3})$/], // HPE spare / option
  ['a', /^[a-z]\d{5}-(b21|\d{3})$/], // HPE P/L-numbers
  ['0', /^(699|900|180|692)-[0-9a-z]{5}-\d{4}-\d{3}$/], // NVIDIA board
  ['m', /^m3[89]\d[a-z0-9]{6,}(-[a-z0-9]+)?$/], // Samsung RDIMM
  ['h', /^hma[a-z0-9]{7,}(-[a-z]{2})?$/], // SK hynix
  ['m', /^mta\d{2}[a-z]{3}[a-z0-9]{4,}(-[a-z0-9]+)?$/], // Micron
  ['k', /^(ktd|kth|ksm|ktl)-?[a-z0-9-]+$/], // Kingston
  ['s', /^st\d{3,5}[a-z]{2}\d{3,4}$/], // Seagate
  ['h', /^hu[cs]\d{6}[a-z0-9]+$/], // HGST
  ['u', /^ucs[a-z]?-[a-z0-9-]+$/], // Cisco
];
/** First char code -> the part patterns worth trying on a token starting with it. */
const PART_BY_FIRST = new Map<number, RegExp[]>();
for (let c = 48; c <= 122; c++) {
  const ch = String.fromCharCode(c);
  const digit = c <= 57;
  const letter = c >= 97;
  if (!digit && !letter) continue;
  const list = PART_PATTERNS.filter(
    ([first]) => (digit && first === '0') || (letter && (first === 'a' || first === ch)),
  ).map(([, re]) => re);
  PART_BY_FIRST.set(c, list);
}
const RE_DELL_PN = /^0?[0-9a-z]{5}$/;

// ---------------------------------------------------------------------------------------------

interface Ctx {
  title: string;
  toks: Token[];
  /** Token texts (toks[i].t) and their count, for the many neighbour lookups. */
  w: string[];
  n: number;
  /** Word classes of each token (bits from WORD_INFO), so "is token i in SET" is one AND. */
  m: number[];
  cat: Catalogs;
  spans: Span[];
  unrecognized: Array<{ field: string; token: string }>;
  reasons: Record<string, string>;
  used: Uint8Array;
  /** The title's words (and Shopify tags): ctx.has.has('xeon'). */
  has: TitleWords;
  /** Word classes present in the title (bits from WORD_INFO), so hasAny() is one AND. */
  cls: number;
  /** HINTS entries whose gate words are in the title (bits from WORD_INFO). */
  hints: number;
}

function span(ctx: Ctx, field: string, i: number, j: number, from = 'title'): void {
  if (i < 0 || j < 0 || i >= ctx.n || j >= ctx.n) return;
  const a = ctx.toks[i]!;
  const b = ctx.toks[j]!;
  ctx.spans.push({ field, text: ctx.title.slice(a.s, b.e), start: a.s, end: b.e, from });
  for (let k = i; k <= j; k++) ctx.used[k] = 1;
}

/** Token text at i, '' outside the title (bounds checked first: a negative index on an array is a
 * slow property lookup). */
const tok = (ctx: Ctx, i: number): string => (i >= 0 && i < ctx.n ? ctx.w[i]! : '');

/** Token i is a word of the class with this bit (see CLASS_SETS); false outside the title. */
const isWord = (ctx: Ctx, i: number, bit: number): boolean =>
  i >= 0 && i < ctx.n && (ctx.m[i]! & bit) !== 0;

function parseNum(s: string): number {
  return Number(s.replace(',', '.'));
}

/** Quantity written right before token i: "2x", "2 x", "(2)", "dual", "pair of". */
function qtyBefore(ctx: Ctx, i: number, skip?: Set<string>, words = true): number | null {
  let j = i - 1;
  let hops = 0;
  while (j >= 0 && hops < 4) {
    const t = tok(ctx, j);
    // Every numeric shape below starts with a digit: words skip the regexes.
    const digit = startsWithDigit(t);
    const q = digit ? RE_QTY.exec(t) : null;
    if (q?.[1]) return Number(q[1]);
    if (t === 'x' && RE_INT.test(tok(ctx, j - 1))) return Number(tok(ctx, j - 1));
    if (words && (t === 'dual' || t === 'pair' || t === 'paar' || t === 'twin')) return 2;
    if (words && t === 'quad') return 4;
    if (words && t === 'single') return 1;
    if (digit && RE_INT.test(t) && Number(t) > 0 && Number(t) <= 16) {
      // "2 Xeon ..." right before, or "(2) Intel Xeon ..." anywhere in the run.
      const tk = ctx.toks[j]!;
      if (hops === 0 || (ctx.title[tk.s - 1] === '(' && ctx.title[tk.e] === ')')) return Number(t);
    }
    if (t === 'of' && (tok(ctx, j - 1) === 'pair' || tok(ctx, j - 1) === 'set')) return 2;
    if (!skip?.has(t) && !(digit && RE_CORES.test(t))) return null;
    j--;
    hops++;
  }
  return null;
}

const RE_CORES = /^\d{1,2}-?(core|cores|c|kern)$/;

function qtyAfter(ctx: Ctx, j: number): number | null {
  const t = tok(ctx, j + 1);
  const q = RE_XQTY.exec(t);
  if (q?.[1]) return Number(q[1]);
  if (t === 'x' && RE_INT.test(tok(ctx, j + 2))) return Number(tok(ctx, j + 2));
  return null;
}

// ---------------------------------------------------------------------------------------------
// Lot

const RE_PCS = /^(\d{1,3})(pcs|pc|stk)$/;

function lotQuantity(ctx: Ctx): number {
  const n = ctx.n;
  for (let i = 0; i < n; i++) {
    const t = tok(ctx, i);
    // Only lot words and numbers ("5pcs") say anything here.
    if (!isWord(ctx, i, B_LOT_WORDS) && !startsWithDigit(t)) continue;
    if (t === 'lot' || t === 'lots') {
      let j = i + 1;
      if (tok(ctx, j) === 'of') j++;
      const v = tok(ctx, j);
      if (RE_INT.test(v) && Number(v) > 1 && Number(v) <= 1000) {
        span(ctx, 'lotQuantity', i, j);
        return Number(v);
      }
    }
    if (
      (t === 'pcs' || t === 'stück' || t === 'stk' || t === 'pieces') &&
      RE_INT.test(tok(ctx, i - 1))
    ) {
      const v = Number(tok(ctx, i - 1));
      if (v > 1 && v <= 1000) return v;
    }
    const m = startsWithDigit(t) ? RE_PCS.exec(t) : null;
    if (m?.[1] && Number(m[1]) > 1) return Number(m[1]);
  }
  return 1;
}

// ---------------------------------------------------------------------------------------------
// CPU

interface CpuHit {
  model: string;
  i: number;
  j: number;
  known: boolean;
  /** Not in the catalog but fits a vendor naming rule: the model is emitted, its score is unknown. */
  wellFormed?: boolean;
}

/**
 * Vendor naming rules for CPU models (Intel ARK / AMD product pages). A model that fits one is a
 * real model even when the benchmark catalog lacks it; one that fits none stays unrecognized.
 */
const WELL_FORMED_CPU: RegExp[] = [
  // Xeon Scalable gen 1-5: metal and first digit agree, optional suffix letters and "+".
  /^(?:Bronze 3|Silver 4|Gold [56]|Platinum [89])\d{3}(?:[A-Z]{1,2})?\+?$/,
  /^E5-(?:1[2-6]|2[4-6]|4[6-8])\d{2}[A-Z]?(?: v[2-4])?$/,
  /^E7-[248][89]\d{2}(?: v[2-4])?$/,
  /^E3-1[2-5]\d{2}[A-Z]?(?: v[2-6])?$/,
  /^(?:W-(?:1[23]\d{2}|2[1-2]\d{2}|3[2-4]\d{2})[A-Z]{0,2}|w[3579]-[23]\d{3}X?)$/,
  /^E-2[1-4]\d{2}[A-Z]{0,2}$/,
  /^D-(?:1[5-7]|2[1-7])\d{2}[A-Z]{0,2}$/,
  /^[XELW][357]\d{3}[A-Z]?$/,
  // EPYC: series digit, two performance characters, generation digit 1-5, optional suffix; the
  // "7003"-style series names (middle "00") are families, not models.
  /^EPYC (?![3479]00)[3479][0-9A-Z]{2}[1-5][PFXHSU]?$/,
  /^Threadripper (?:PRO )?[1-7]9\d{2}(?:WX|X)?$/,
];

export function wellFormedCpu(model: string): boolean {
  for (const re of WELL_FORMED_CPU) if (re.test(model)) return true;
  return false;
}

// First letters (char codes) that gate the token regexes.
const CH_A = 97;
const CH_B = 98;
const CH_C = 99;
const CH_D = 100;
const CH_E = 101;
const CH_F = 102;
const CH_G = 103;
const CH_I = 105;
const CH_L = 108;
const CH_M = 109;
const CH_N = 110;
const CH_P = 112;
const CH_R = 114;
const CH_S = 115;
const CH_T = 116;
const CH_W = 119;
const CH_X = 120;

function cpuHits(ctx: Ctx): CpuHit[] {
  const hits: CpuHit[] = [];
  const n = ctx.n;
  const push = (raw: string, i: number, j: number): void => {
    const entry = ctx.cat.cpu(raw);
    if (entry) hits.push({ model: entry.model, i, j, known: true });
    else hits.push({ model: raw, i, j, known: false, wellFormed: wellFormedCpu(raw) });
  };
  for (let i = 0; i < n; i++) {
    const t = tok(ctx, i);
    const key = (ctx.m[i]! & B_CPU_KEYS) !== 0;
    if (!ctx.toks[i]!.d && !key) continue;
    // Every CPU pattern starts with a letter; numbers ("2x", "256gb") are read as next tokens.
    if (startsWithDigit(t)) continue;
    // Each pattern below is only tried on tokens with a first letter it can start with.
    const c0 = t.charCodeAt(0);
    const e = c0 === CH_E;
    let m = e ? RE_E_SERIES.exec(t) : null;
    if (m) {
      let v = m[4];
      let j = i;
      if (!v && RE_V.test(tok(ctx, i + 1))) {
        v = tok(ctx, i + 1);
        j = i + 1;
      }
      push(`E${m[1]}-${m[2]}${(m[3] ?? '').toUpperCase()}${v ? ` ${v}` : ''}`, i, j);
      i = j;
      continue;
    }
    if (
      (t === 'e5' || t === 'e7' || t === 'e3') &&
      /^\d{4}[a-z]{0,2}(v\d)?$/.test(tok(ctx, i + 1))
    ) {
      const num = tok(ctx, i + 1);
      let j = i + 1;
      let full = `${t.toUpperCase()}-${num.replace(/v\d$/, '').toUpperCase()}`;
      const vv = /v\d$/.exec(num)?.[0] ?? (RE_V.test(tok(ctx, i + 2)) ? tok(ctx, i + 2) : '');
      if (vv) full += ` ${vv}`;
      if (!/v\d$/.test(num) && vv) j = i + 2;
      push(full, i, j);
      i = j;
      continue;
    }
    const metal = key ? METALS.get(t) : undefined;
    if (metal && RE_METAL_NUM.test(tok(ctx, i + 1))) {
      push(`${metal} ${tok(ctx, i + 1).toUpperCase()}`, i, i + 1);
      i++;
      continue;
    }
    if (t === 'xeon' && RE_METAL_NUM.test(tok(ctx, i + 1)) && /^[3-9]/.test(tok(ctx, i + 1))) {
      const num = tok(ctx, i + 1);
      const e = ctx.cat.cpuByNumber(num);
      if (e) hits.push({ model: e.model, i, j: i + 1, known: true });
      else hits.push({ model: `Xeon ${num.toUpperCase()}`, i, j: i + 1, known: false });
      i++;
      continue;
    }
    if (
      (c0 === CH_W || e || c0 === CH_D) &&
      RE_XEON_W.test(t) &&
      (ctx.has.has('xeon') || ctx.has.has('intel') || hasAny(ctx, B_SERVER_VENDOR_WORDS))
    ) {
      push(t.toUpperCase().replace(/^W(\d)-/, 'w$1-'), i, i);
      continue;
    }
    m = c0 === CH_X || e || c0 === CH_L || c0 === CH_W ? RE_OLD_XEON.exec(t) : null;
    if (m && ctx.has.has('xeon')) {
      push(t.toUpperCase(), i, i);
      continue;
    }
    if (t === 'epyc' && RE_EPYC_NUM.test(tok(ctx, i + 1))) {
      push(`EPYC ${tok(ctx, i + 1).toUpperCase()}`, i, i + 1);
      i++;
      continue;
    }
    m = e ? RE_EPYC_GLUED.exec(t) : null;
    if (m?.[1]) {
      push(`EPYC ${m[1].toUpperCase()}`, i, i);
      continue;
    }
    if (t === 'threadripper') {
      let j = i + 1;
      let pro = '';
      if (tok(ctx, j) === 'pro') {
        pro = 'PRO ';
        j++;
      }
      if (/^\d{4}[a-z]{0,2}$/.test(tok(ctx, j))) {
        push(`Threadripper ${pro}${tok(ctx, j).toUpperCase()}`, i, j);
        i = j;
      }
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// GPU

interface GpuHit {
  model: string;
  i: number;
  j: number;
  known: boolean;
}

const RE_GPU_FORM = /^(sxm\d?|pcie|pci-e|nvl|hbm\d?e?|oam)$/;

function countedOrFormed(ctx: Ctx, i: number): boolean {
  const prev = tok(ctx, i - 1);
  if (RE_QTY.test(prev) || (prev === 'x' && RE_INT.test(tok(ctx, i - 2)))) return true;
  return RE_GPU_FORM.test(tok(ctx, i + 1));
}

/** First letters of the DC_GPUS models, and their longest name: a cheap gate for the lookup. */
const DC_FIRST = new Uint8Array(128);
for (const k of DC_GPUS.keys()) DC_FIRST[k.charCodeAt(0)] = 1;
const DC_MAX_LEN = Math.max(...[...DC_GPUS.keys()].map((k) => k.length));

function gpuHits(ctx: Ctx): GpuHit[] {
  const hits: GpuHit[] = [];
  const n = ctx.n;
  const gpuCtx = hasAny(ctx, B_GPU_CONTEXT);
  const quadro = ctx.has.has('quadro');
  const push = (model: string, i: number, j: number): void => {
    const e = ctx.cat.gpu(model);
    hits.push({ model: e ? model : model, i, j, known: e !== null });
  };
  const suffix = (j: number): { text: string; j: number } => {
    let text = '';
    let k = j;
    for (;;) {
      const s = tok(ctx, k + 1);
      if (s === 'ti') text += ' Ti';
      else if (s === 'super') text += ' Super';
      else break;
      k++;
    }
    return { text, j: k };
  };
  for (let i = 0; i < n; i++) {
    const t = tok(ctx, i);
    if (!ctx.toks[i]!.d && (ctx.m[i]! & B_GPU_KEYS) === 0) continue;
    if (startsWithDigit(t)) {
      // Only a bare Radeon "6800XT" starts with a digit.
      const b = t.length === 6 || t.length === 7 ? RE_BARE_RX.exec(t) : null;
      if (b?.[1]) push(`RX ${b[1]} ${b[2]!.toUpperCase()}`, i, i);
      continue;
    }
    // Each pattern below is only tried on tokens with a first letter it can start with.
    const c0 = t.charCodeAt(0);
    // "V100-SXM2-32GB": model plus known qualifiers.
    const dash = t.indexOf('-');
    const headLen = dash > 0 ? dash : t.length;
    const dc =
      headLen <= DC_MAX_LEN && DC_FIRST[c0] === 1
        ? DC_GPUS.get(dash > 0 ? t.slice(0, dash) : t)
        : undefined;
    // Without GPU words a bare "A40" needs a count ("4x A40") or a form factor ("A100 PCIe").
    if (dc && (gpuCtx || countedOrFormed(ctx, i))) {
      const rest = dash > 0 ? t.slice(dash + 1).split('-') : [];
      const prev = tok(ctx, i - 1);
      if (rest.every((r) => DC_SUFFIX.test(r)) && !prev.endsWith('-')) {
        if (tok(ctx, i - 1) === 'dgx' || tok(ctx, i - 1) === 'hgx') {
          push(dc, i, i);
          continue;
        }
        push(dc, i, i);
        continue;
      }
    }
    let m = c0 === CH_R || c0 === CH_G ? RE_GEFORCE.exec(t) : null;
    let j = i;
    let fam = '';
    let num = '';
    let suf = '';
    if (m?.[1] && m[2]) {
      fam = m[1];
      num = m[2];
      suf = m[3] ?? '';
    } else if ((t === 'rtx' || t === 'gtx' || t === 'gt' || t === 'gts') && i + 1 < n) {
      let k = i + 1;
      if (RE_SIZE.test(tok(ctx, k)) && /^\d{3,4}(ti)?$/.test(tok(ctx, k + 1))) k++;
      const nx = tok(ctx, k);
      const mm = /^(\d{3,4})(ti|super)?$/.exec(nx);
      if (mm?.[1]) {
        fam = t;
        num = mm[1];
        suf = mm[2] ?? '';
        j = k;
      } else if (t === 'rtx' && RE_RTX_A.test(nx)) {
        push(`RTX ${nx.toUpperCase()}`, i, k);
        i = k;
        continue;
      }
    }
    if (fam && num) {
      const sx = suffix(j);
      let sufText =
        suf === 'ti' ? ' Ti' : suf === 'super' ? ' Super' : suf === 'tisuper' ? ' Ti Super' : '';
      sufText += sx.text;
      j = sx.j;
      if (fam === 'rtx' && /^[2-8]000$/.test(num)) {
        if (tok(ctx, j + 1) === 'ada') {
          push(`RTX ${num} Ada`, i, j + 1);
          i = j + 1;
          continue;
        }
        push(`Quadro RTX ${num}`, i, j);
      } else {
        push(`${fam.toUpperCase()} ${num}${sufText}`, i, j);
      }
      i = j;
      continue;
    }
    m = c0 === CH_R || c0 === CH_A ? RE_RTX_A.exec(t) : null;
    if (m?.[1] && t.startsWith('rtx')) {
      push(`RTX ${m[1].toUpperCase()}`, i, i);
      continue;
    }
    if (
      m?.[1] &&
      gpuCtx &&
      (tok(ctx, i - 1) === 'quadro' || ctx.has.has('nvidia') || ctx.has.has('quadro'))
    ) {
      push(`RTX ${m[1].toUpperCase()}`, i, i);
      continue;
    }
    if (quadro && RE_QUADRO_NUM.test(t) && tok(ctx, i - 1) !== 'quadro') {
      push(`Quadro ${t.toUpperCase()}`, i, i);
      continue;
    }
    if (t === 'quadro') {
      const nx = tok(ctx, i + 1);
      if (RE_QUADRO_OLD.test(nx)) {
        push(`Quadro ${nx.toUpperCase()}`, i, i + 1);
        i++;
        continue;
      }
      if (nx === 'nvs' && RE_INT.test(tok(ctx, i + 2))) {
        push(`Quadro NVS ${tok(ctx, i + 2)}`, i, i + 2);
        i += 2;
        continue;
      }
    }
    if (t === 'radeon' || t === 'rx' || (c0 === CH_R && RE_RX.test(t))) {
      let k = i;
      let pro = false;
      if (t === 'radeon') {
        k++;
        if (tok(ctx, k) === 'pro') {
          pro = true;
          k++;
        }
      }
      let tt = tok(ctx, k);
      if (tt === 'rx' && /^\d{3,4}[a-z]{0,3}$/.test(tok(ctx, k + 1))) {
        k++;
        tt = `rx${tok(ctx, k)}`;
      }
      const r = RE_RX.exec(tt);
      if (r?.[1]) {
        let variant = r[2] ?? '';
        const nx = tok(ctx, k + 1);
        if (!variant && (nx === 'xt' || nx === 'xtx' || nx === 'gre' || nx === 'gme')) {
          variant = nx;
          k++;
        } else if (variant === 'xt' && nx === 'x') k++;
        const vt = variant === 'x' ? 'X' : variant ? ` ${variant.toUpperCase()}` : '';
        push(`RX ${r[1]}${vt}`, i, k);
        i = k;
        continue;
      }
      if (pro) {
        const pm = /^(w\d{4}x?|wx|\d{3}x?|vii|v\d{3})$/.exec(tt);
        if (pm) {
          if (tt === 'wx' && RE_INT.test(tok(ctx, k + 1))) {
            push(`Radeon Pro WX ${tok(ctx, k + 1)}`, i, k + 1);
            i = k + 1;
          } else {
            push(`Radeon Pro ${tt.toUpperCase()}`, i, k);
            i = k;
          }
          continue;
        }
      }
      if (tt === 'vii') {
        push('Radeon VII', i, k);
        i = k;
        continue;
      }
    }
    if (t === 'instinct' && RE_INSTINCT.test(tok(ctx, i + 1))) {
      push(`Radeon Instinct ${tok(ctx, i + 1).toUpperCase()}`, i, i + 1);
      i++;
      continue;
    }
    if (t === 'arc' && /^[ab]\d{3}$/.test(tok(ctx, i + 1))) {
      push(`Arc ${tok(ctx, i + 1).toUpperCase()}`, i, i + 1);
      i++;
      continue;
    }
  }
  if (hits.length === 0) {
    // A bare GeForce number ("ZOTAC 2080", "pc 3090 strix") when a board brand is in the title.
    if (gpuCtx || hasAny(ctx, B_GPU_BRANDS)) {
      for (let i = 0; i < n; i++) {
        const m = ctx.toks[i]!.d ? RE_BARE_GEFORCE.exec(tok(ctx, i)) : null;
        if (m?.[1]) {
          const num = Number(m[1]);
          push(`${num >= 2000 ? 'RTX' : 'GTX'} ${m[1]}${m[2] ? ' Ti' : ''}`, i, i);
          break;
        }
      }
    }
  }
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Sizes

interface Size {
  gb: number;
  i: number;
  j: number;
  mult: number | null;
  unit: 'gb' | 'tb' | 'g' | 't' | 'mb';
}

const UNIT = new Map<string, Size['unit']>([
  ['gb', 'gb'],
  ['g', 'g'],
  ['tb', 'tb'],
  ['t', 't'],
  ['mb', 'mb'],
  ['go', 'gb'],
  ['гб', 'gb'],
  ['to', 'tb'],
  ['тб', 'tb'],
]);

const RE_SIZE_TAIL = /^(without|ohne|ram|ddr\d|gddr\d+x?|hbm\d?e?)$/;

function sizes(ctx: Ctx): Size[] {
  const out: Size[] = [];
  const n = ctx.n;
  for (let i = 0; i < n; i++) {
    if (!ctx.toks[i]!.d) continue;
    const t = tok(ctx, i);
    // Every size shape starts with a digit ("32GB", "4x16GB", "1,2TB").
    if (!startsWithDigit(t)) continue;
    // Module shapes ("4x16gb", "16gbx4") need an "x"; most sizes have none.
    const x = t.includes('x');
    let m = x ? RE_MODULE.exec(t) : null;
    if (m?.[1] && m[2]) {
      out.push({ gb: Number(m[2]), i, j: i, mult: Number(m[1]), unit: 'gb' });
      continue;
    }
    m = x ? RE_MODULE_R.exec(t) : null;
    if (m?.[1] && m[3]) {
      out.push({ gb: Number(m[1]), i, j: i, mult: Number(m[3]), unit: 'gb' });
      continue;
    }
    let value: number | null = null;
    let unit: Size['unit'] = 'gb';
    let j = i;
    m = RE_SIZE.exec(t);
    if (m?.[1] && m[2]) {
      // "16GBWithout" is a glued word; "16gbps"/"12gbe" are link speeds, not sizes.
      const tail = m[3] ?? '';
      if (tail && !RE_SIZE_TAIL.test(tail)) continue;
      value = parseNum(m[1]);
      unit = UNIT.get(m[2]) ?? 'gb';
    } else if (RE_NUM.test(t)) {
      // A separate "to" is the English word ("8 to 16GB"); only glued "4To" is a French size.
      const ut = tok(ctx, i + 1);
      const u = ut === 'to' ? undefined : UNIT.get(ut);
      if (u && u !== 'mb') {
        value = parseNum(t);
        unit = u;
        j = i + 1;
      }
    }
    if (value === null || !(value > 0)) continue;
    if (tok(ctx, j + 1) === 'sec' || tok(ctx, j + 1) === 's') continue;
    const gb = unit === 'tb' || unit === 't' ? value * 1000 : unit === 'mb' ? value / 1000 : value;
    let mult: number | null = null;
    // "64GB x 2"
    if (tok(ctx, j + 1) === 'x' && RE_INT.test(tok(ctx, j + 2))) {
      mult = Number(tok(ctx, j + 2));
      j += 2;
    } else {
      const q = RE_XQTY.exec(tok(ctx, j + 1));
      if (q?.[1]) {
        mult = Number(q[1]);
        j++;
      }
    }
    // "4x 16GB", "4 x 16GB"
    if (mult === null) {
      const q = RE_QTY.exec(tok(ctx, i - 1));
      if (q?.[1]) mult = Number(q[1]);
      else if (tok(ctx, i - 1) === 'x' && RE_INT.test(tok(ctx, i - 2)))
        mult = Number(tok(ctx, i - 2));
    }
    out.push({ gb, i, j, mult, unit });
    i = j;
  }
  return out;
}

/** A word of the class `bit` within `before` tokens before or `after` tokens after the size. */
function near(ctx: Ctx, s: Size, bit: number, before = 1, after = 2): boolean {
  for (let k = s.j + 1; k <= s.j + after; k++) if (isWord(ctx, k, bit)) return true;
  for (let k = s.i - before; k < s.i; k++) if (isWord(ctx, k, bit)) return true;
  return false;
}

const RAM_SIZES = new Set([
  16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536, 2048, 3072, 4096,
]);

// ---------------------------------------------------------------------------------------------
// Chassis

interface ChassisHit {
  model: string;
  vendor: string | null;
  i: number;
  j: number;
}

function chassisHit(ctx: Ctx, vendor: string | null): ChassisHit | null {
  const n = ctx.n;
  const laptop = hasAny(ctx, B_SYSTEM_WORDS);
  for (let i = 0; i < n; i++) {
    const t = tok(ctx, i);
    if (!ctx.toks[i]!.d && (ctx.m[i]! & B_CHASSIS_KEYS) === 0) continue;
    // Numeric chassis names start with four digits (Supermicro "6029P-TRT", Huawei "2288H").
    const digit = startsWithDigit(t);
    if (digit && !RE_FOUR_DIGITS.test(t)) continue;
    const prev = tok(ctx, i - 1);
    // Each pattern below is only tried on tokens with a first character it can start with.
    const c0 = t.charCodeAt(0);
    let m =
      c0 === CH_R || c0 === CH_T || c0 === CH_C || c0 === CH_M || c0 === CH_F || c0 === CH_X
        ? RE_DELL.exec(t)
        : null;
    // Four-digit T/M numbers are Precision towers (T7910) and Quadro cards (M4000), not PowerEdge.
    const fourTM = (m?.[1] === 't' || m?.[1] === 'm') && m[2]!.length === 4;
    if (m && prev !== 'intel' && prev !== 'quadro' && !laptop && !fourTM) {
      const model = `${m[1]!.toUpperCase()}${m[2]}${m[3] ?? ''}`;
      const known = ctx.cat.chassis(model, 'Dell');
      if (vendor === 'Dell' || known || prev === 'poweredge') {
        return { model, vendor: 'Dell', i, j: i };
      }
    }
    m =
      c0 === CH_D || c0 === CH_M || c0 === CH_B || c0 === CH_S || c0 === CH_X
        ? RE_HPE.exec(t)
        : null;
    if (m?.[1] && m[2]) {
      let gen = m[5] ?? '';
      let j = i;
      let plus = m[6] ? ' Plus' : '';
      if (!gen) {
        const g = RE_GEN.exec(tok(ctx, i + 1));
        if (g?.[2]) {
          gen = g[2];
          j = i + 1;
          if (g[3]) plus = ' Plus';
        } else if (tok(ctx, i + 1) === 'gen' && RE_INT.test(tok(ctx, i + 2))) {
          gen = tok(ctx, i + 2);
          j = i + 2;
        }
      }
      if (tok(ctx, j + 1) === 'plus') {
        plus = ' Plus';
        j++;
      }
      const base = `${m[1].toUpperCase()}${m[2]}${m[3] ?? ''}`;
      if (gen) return { model: `${base} Gen${gen}${plus}`, vendor: 'HPE', i, j };
      if (vendor === 'HPE') return { model: base, vendor: 'HPE', i, j };
    }
    if ((t === 'dl' || t === 'ml') && RE_INT.test(tok(ctx, i + 1))) {
      const g = RE_GEN.exec(tok(ctx, i + 2));
      if (g?.[2])
        return {
          model: `${t.toUpperCase()}${tok(ctx, i + 1)} Gen${g[2]}`,
          vendor: 'HPE',
          i,
          j: i + 2,
        };
    }
    const sa = c0 === CH_S || c0 === CH_A;
    m =
      (digit || sa ? RE_SMC.exec(t) : null) ??
      (sa && t.length > 7 && t[2] === '-' ? RE_SMC_PREFIXED.exec(t) : null);
    if (!m && sa && t.length > 7 && t[3] === '-') m = RE_SMC_PREFIXED.exec(t);
    if (m?.[2] && (m[1] || vendor === 'Supermicro' || prev === 'superserver')) {
      const pre = m[1] ? m[1].toUpperCase() : 'SYS';
      return { model: `${pre}-${m[2].toUpperCase()}`, vendor: 'Supermicro', i, j: i };
    }
    if ((t === 'as' || t === 'sys') && /^\d{4}[a-z]{1,3}-[a-z0-9+-]+$/.test(tok(ctx, i + 1))) {
      return {
        model: `${t.toUpperCase()}-${tok(ctx, i + 1).toUpperCase()}`,
        vendor: 'Supermicro',
        i,
        j: i + 1,
      };
    }
    m = c0 === CH_S ? RE_LENOVO.exec(t) : null;
    if (m && (vendor === 'Lenovo' || ctx.cat.chassis(t, 'Lenovo'))) {
      let j = i;
      let v = '';
      const vv = RE_V.exec(tok(ctx, i + 1));
      if (vv) {
        v = ` V${vv[1]}`;
        j++;
      }
      return { model: `${t.toUpperCase()}${v}`, vendor: 'Lenovo', i, j };
    }
    m = c0 === CH_X ? RE_LENOVO_X.exec(t) : null;
    if (m && RE_CISCO_M.test(tok(ctx, i + 1)) && (vendor === 'Lenovo' || vendor === 'IBM')) {
      return { model: `x${m[1]} ${tok(ctx, i + 1).toUpperCase()}`, vendor, i, j: i + 1 };
    }
    m = c0 === CH_C || c0 === CH_B ? RE_CISCO.exec(t) : null;
    if (m && RE_CISCO_M.test(tok(ctx, i + 1))) {
      return {
        model: `${t.toUpperCase()} ${tok(ctx, i + 1).toUpperCase()}`,
        vendor: 'Cisco',
        i,
        j: i + 1,
      };
    }
    m = digit || c0 === CH_R ? RE_HUAWEI.exec(t) : null;
    if (m?.[1] && RE_V.test(tok(ctx, i + 1))) {
      return {
        model: `${m[1].toUpperCase()} ${tok(ctx, i + 1).toUpperCase()}`,
        vendor: 'Huawei',
        i,
        j: i + 1,
      };
    }
    if (c0 === CH_N && RE_INSPUR.test(t))
      return { model: t.toUpperCase(), vendor: 'Inspur', i, j: i };
    m = t.startsWith('ucs') ? RE_CISCO_PID.exec(t) : null;
    if (m?.[1] && m[2]) {
      return { model: `${m[1].toUpperCase()} M${m[2]}`, vendor: 'Cisco', i, j: i };
    }
    if (t === 'synergy' && /^\d{3}$/.test(tok(ctx, i + 1))) {
      const g = RE_GEN.exec(tok(ctx, i + 2));
      if (g?.[2]) return { model: `SY${tok(ctx, i + 1)} Gen${g[2]}`, vendor: 'HPE', i, j: i + 2 };
    }
    if ((c0 === CH_E || c0 === CH_R) && RE_ASUS.test(t) && RE_ASUS_GEN.test(tok(ctx, i + 1))) {
      return {
        model: `${t.toUpperCase()} ${tok(ctx, i + 1).toUpperCase()}`,
        vendor: 'ASUS',
        i,
        j: i + 1,
      };
    }
    if (vendor === 'Quanta' && RE_QUANTA.test(t)) {
      return { model: t.toUpperCase(), vendor: 'Quanta', i, j: i };
    }
    if (vendor === 'Wiwynn' && RE_WIWYNN.test(t)) {
      return { model: t.toUpperCase(), vendor: 'Wiwynn', i, j: i };
    }
    if (
      (c0 === CH_G || c0 === CH_R) &&
      RE_GIGA.test(t) &&
      (vendor === 'Gigabyte' || ctx.has.has('server'))
    ) {
      return { model: t.toUpperCase(), vendor: 'Gigabyte', i, j: i };
    }
    if ((t === 'quantagrid' || t === 'quantaplex') && RE_QUANTA.test(tok(ctx, i + 1))) {
      return { model: tok(ctx, i + 1).toUpperCase(), vendor: 'Quanta', i: i + 1, j: i + 1 };
    }
    if (t === 'dgx' || t === 'hgx') {
      const nx = tok(ctx, i + 1);
      if (t === 'dgx' && (DC_GPUS.has(nx) || nx === 'station')) {
        return {
          model: `DGX ${nx === 'station' ? 'Station' : nx.toUpperCase()}`,
          vendor: 'NVIDIA',
          i,
          j: i + 1,
        };
      }
    }
    if (c0 === CH_D && RE_DGX.test(t)) return { model: t.toUpperCase(), vendor: 'NVIDIA', i, j: i };
    if (vendor === 'Fujitsu' && RE_FUJITSU_RX.test(t) && RE_CISCO_M.test(tok(ctx, i + 1))) {
      return { model: `${t.toUpperCase()} ${tok(ctx, i + 1).toUpperCase()}`, vendor, i, j: i + 1 };
    }
  }
  return null;
}

const RE_FOUR_DIGITS = /^\d{4}/;

function startsWithDigit(t: string): boolean {
  const c = t.charCodeAt(0);
  return c >= 48 && c <= 57;
}

/** The title (or its tags) has a word of the class with this bit (see CLASS_SETS). */
function hasAny(ctx: Ctx, bit: number): boolean {
  return (ctx.cls & bit) !== 0;
}

// ---------------------------------------------------------------------------------------------
// Kind

interface Evidence {
  chassis: ChassisHit | null;
  cpus: CpuHit[];
  gpus: GpuHit[];
  sizes: Size[];
}

/** Index of an accessory noun that is the head of the title, or -1. */
function accessoryHead(ctx: Ctx, ev: Evidence): { i: number; weight: number; loose: number } {
  const best = accessoryCandidate(ctx, ev.gpus.length > 0 || hasAny(ctx, B_GPU_CONTEXT));
  if (best.i < 0) return best;
  // "RX 580X 4GB Graphics Card Motherboard defective", "A10 GPU Passive Cooler 24GB": the card is
  // the item when one GPU model, its memory and a card noun come before the accessory word.
  const next = tok(ctx, best.i + 1);
  const only = next === 'only' || tok(ctx, best.i - 1) === 'only';
  const forAfter = FOR_WORDS.has(next) || FOR_WORDS.has(tok(ctx, best.i + 2));
  const models = new Set(ev.gpus.map((g) => g.model));
  if (!only && !forAfter && models.size === 1) {
    const g = ev.gpus[0]!;
    const memory = ev.sizes.some((s) => s.gb >= 1 && s.gb <= 192 && s.unit !== 'mb');
    let cardBefore = false;
    for (let k = g.j + 1; k < best.i; k++) if (isWord(ctx, k, B_GPU_ITEM)) cardBefore = true;
    if (memory && cardBefore && g.i < best.i) return { i: -1, weight: 0, loose: -1 };
  }
  return best;
}

/** "2 fans", "2-pack": a count before an accessory word means it is included, not sold. */
function countedBefore(t: string): boolean {
  if (RE_QTY.test(t)) return true;
  if (RE_INT.test(t)) return Number(t) <= 24;
  return /^\d+-/.test(t) && !/^\d+-(bay|bays|port|ports|slot|slots|pin|lane|lanes)$/.test(t);
}

function accessoryCandidate(
  ctx: Ctx,
  gpuSeen: boolean,
): { i: number; weight: number; loose: number } {
  const n = ctx.n;
  let best = { i: -1, weight: 0, loose: -1 };
  let afterWith = false;
  for (let i = 0; i < n; i++) {
    const t = tok(ctx, i);
    const cls = ctx.m[i]!;
    if ((cls & B_WITH) !== 0 || t === '+') afterWith = true;
    const w =
      (cls & B_ACCESSORY) !== 0 ? ACCESSORY.get(t)! : t.length > 8 && RE_NIC_FAMILY.test(t) ? 2 : 0;
    if (!w) continue;
    const prev = tok(ctx, i - 1);
    const prev2 = tok(ctx, i - 2);
    if (NEGATORS.has(prev) || NEGATORS.has(prev2) || /(without|ohne)$/.test(prev)) continue;
    if (countedBefore(prev) || RE_QTY.test(prev2) || /^\d+-/.test(prev2)) continue;
    if (prev === 'x' && RE_INT.test(prev2)) continue;
    // A card is the GPU's noun when a GPU is in the title ("RTX 3090 card", "graphics card").
    if ((t === 'card' || t === 'carte' || t === 'karte') && gpuSeen) continue;
    if (afterWith && best.i < 0) {
      if (best.loose < 0) best.loose = i;
      continue;
    }
    if ((t === 'fan' || t === 'fans' || t === 'lüfter') && FAN_DESCRIPTORS.has(prev)) continue;
    if ((t === 'fan' || t === 'fans') && (tok(ctx, i + 1) === 'edition' || prev === 'windforce'))
      continue;
    if (t === 'module' || t === 'idrac') continue;
    if (t === 'board' && !BOARD_HEADS.has(prev)) continue;
    if (w === 1 && SERVER_SKIP.has(t) && ctx.has.has('server')) continue;
    if (t === 'cover' && prev !== 'slot') continue;
    if (w > best.weight) best = { i, weight: w, loose: best.loose };
  }
  return best;
}

const BOARD_HEADS = new Set(['gpu', 'pcb', 'backplane', 'system', 'main', 'mother', 'riser']);
const SERVER_SKIP = new Set([
  'controller',
  'raid',
  'nic',
  'ethernet',
  'perc',
  'sfp+',
  'qsfp',
  'qsfp28',
  'infiniband',
  'card',
  'carte',
  'karte',
]);

const SERVER_VENDOR_WORDS = new Set(
  [...VENDORS].filter(([, v]) => SERVER_VENDORS.has(v)).map(([k]) => k),
);

const VENDOR_WORDS = new Set(VENDORS.keys());
const ACCESSORY_WORDS = new Set(ACCESSORY.keys());

/**
 * Word classes: each token is looked up once (WORD_INFO) when the context is built, then both
 * "token i is in SET" (isWord) and "the title has a word of SET" (hasAny) are bit tests instead of
 * a Set lookup per token per pass. At most 31 classes (one int).
 */
const CLASS_SETS = [
  GPU_CONTEXT,
  SYSTEM_WORDS,
  GPU_ITEM,
  BAREBONE_WORDS,
  CPU_ITEM,
  RAM_ITEM,
  DRIVE_ITEM,
  PSU_WORDS,
  GPU_BRANDS,
  SERVER_VENDOR_WORDS,
  PSU_NOUNS,
  NETWORK_GEAR,
  VENDOR_WORDS,
  SERVER_WORDS,
  RAM_WORDS,
  ACCESSORY_WORDS,
  WITH_WORDS,
  NEGATORS,
  FOR_WORDS,
  DRIVE_WORDS,
  CPU_KEYS,
  GPU_KEYS,
  CHASSIS_KEYS,
  DESKTOP_CPU_WORDS,
  LOT_WORDS,
];
if (CLASS_SETS.length > 31) throw new Error('more word classes than bits in an int');
const SET_BIT = new Map<Set<string>, number>(CLASS_SETS.map((set, k) => [set, 1 << k]));

function bitOf(set: Set<string>): number {
  const bit = SET_BIT.get(set);
  if (bit === undefined) throw new Error('not a word class');
  return bit;
}

const B_GPU_CONTEXT = bitOf(GPU_CONTEXT);
const B_GPU_ITEM = bitOf(GPU_ITEM);
const B_RAM_ITEM = bitOf(RAM_ITEM);
const B_DRIVE_ITEM = bitOf(DRIVE_ITEM);
const B_PSU_NOUNS = bitOf(PSU_NOUNS);
const B_NETWORK_GEAR = bitOf(NETWORK_GEAR);
const VENDOR_BIT = bitOf(VENDOR_WORDS);
const B_SERVER_WORDS = bitOf(SERVER_WORDS);
const B_RAM_WORDS = bitOf(RAM_WORDS);
const B_ACCESSORY = bitOf(ACCESSORY_WORDS);
const B_WITH = bitOf(WITH_WORDS);
const B_NEGATOR = bitOf(NEGATORS);
const B_FOR = bitOf(FOR_WORDS);
const B_DRIVE_WORDS = bitOf(DRIVE_WORDS);
const B_CPU_KEYS = bitOf(CPU_KEYS);
const B_GPU_KEYS = bitOf(GPU_KEYS);
const B_CHASSIS_KEYS = bitOf(CHASSIS_KEYS);
const B_DESKTOP_CPU = bitOf(DESKTOP_CPU_WORDS);
const B_BAREBONE_WORDS = bitOf(BAREBONE_WORDS);
const B_CPU_ITEM = bitOf(CPU_ITEM);
const B_GPU_BRANDS = bitOf(GPU_BRANDS);
const B_PSU_WORDS = bitOf(PSU_WORDS);
const B_SERVER_VENDOR_WORDS = bitOf(SERVER_VENDOR_WORDS);
const B_SYSTEM_WORDS = bitOf(SYSTEM_WORDS);
const B_LOT_WORDS = bitOf(LOT_WORDS);

/** Token texts, word classes, hint gates and FREQUENT_WORDS bits in one pass. */
function indexWords(toks: Token[]): {
  w: string[];
  m: number[];
  frequent: number;
  cls: number;
  hints: number;
} {
  const w: string[] = [];
  const m: number[] = [];
  let cls = 0;
  let hints = 0;
  let frequent = 0;
  for (const tk of toks) {
    const info = WORD_INFO.get(tk.t);
    const bits = info ? info.cls : 0;
    w.push(tk.t);
    m.push(bits);
    cls |= bits;
    if (info) {
      hints |= info.hints;
      frequent |= info.frequent;
    }
  }
  return { w, m, frequent, cls, hints };
}

/** A size that reads as a server's installed memory: a DIMM total, or 1-6TB, not drive/GPU. */
function serverRamLike(ctx: Ctx, ev: Evidence, s: Size): boolean {
  if (s.unit === 'mb') return false;
  const tb = s.unit === 't' || s.unit === 'tb';
  const total = s.gb * (s.mult ?? 1);
  const plausible = tb
    ? s.mult === null && RAM_TB.has(s.gb)
    : RAM_SIZES.has(s.mult === null ? s.gb : total) && total >= 16;
  if (!plausible) return false;
  if (tagged(ctx, s, B_DRIVE_WORDS, 1, 2)) return false;
  return !ev.gpus.some((g) => s.i > g.j && s.i - g.j <= 2 && s.gb <= 192);
}

const PSU_FILLER = new Set(['power', 'блок', 'hot-plug', 'hot-swap', 'ac', 'platinum', 'psu']);

/**
 * Index of a power supply noun that names the item; a counted one ("2x 750W PSU") is part of a
 * server configuration unless countedIsItem says nothing else is being sold.
 */
function psuHead(ctx: Ctx, countedIsItem: boolean, chassisAt: number): number {
  if (!hasAny(ctx, B_PSU_NOUNS) && !ctx.has.has('supply') && !ctx.has.has('supplies')) {
    if (!ctx.has.has('питания')) return -1;
  }
  let afterWith = false;
  for (let i = 0; i < ctx.n; i++) {
    const t = tok(ctx, i);
    if (isWord(ctx, i, B_WITH) || t === '+') afterWith = true;
    const prev = tok(ctx, i - 1);
    const noun =
      isWord(ctx, i, B_PSU_NOUNS) ||
      ((t === 'supply' || t === 'supplies') && prev === 'power') ||
      (t === 'питания' && prev === 'блок');
    if (!noun || afterWith) continue;
    // Walk back over "750W", "power", "hot-plug" to a count: "2x 750W PSU", "dual PSU".
    let counted = false;
    for (let k = i - 1; k >= Math.max(0, i - 4); k--) {
      const p = tok(ctx, k);
      if (RE_WATTS.test(p) || PSU_FILLER.has(p)) continue;
      counted =
        RE_QTY.test(p) ||
        (p === 'x' && RE_INT.test(tok(ctx, k - 1))) ||
        p === 'dual' ||
        p === 'redundant' ||
        p === 'twin';
      break;
    }
    // ... and only before a chassis: "R730 8SFF 2x 750W PSU" is the server's configuration.
    if (!counted || (countedIsItem && (chassisAt < 0 || chassisAt > i))) return i;
  }
  return -1;
}

// Token shape tests for decideKind; the first-character checks spare the regex on most tokens.
const RE_MEMORY_NAME = /^(pc[345]l?-\d{4,5}[a-z]*|ddr[345](-\d{4}[a-z]?)?|\d+[ds]?r?x[48])$/;
const isRackUnits = (t: string): boolean => t.length === 2 && RE_U.test(t);
const isWatts = (t: string): boolean => startsWithDigit(t) && RE_WATTS.test(t);
const isMemoryName = (t: string): boolean => {
  const c = t.charCodeAt(0);
  return (c === CH_P || c === CH_D || startsWithDigit(t)) && RE_MEMORY_NAME.test(t);
};

function someToken(ctx: Ctx, test: (t: string) => boolean): boolean {
  for (let i = 0; i < ctx.n; i++) if (test(ctx.w[i]!)) return true;
  return false;
}

/** A title token (not a tag) names a desktop CPU. */
function hasDesktopCpu(ctx: Ctx): boolean {
  for (let i = 0; i < ctx.n; i++) {
    if (isWord(ctx, i, B_DESKTOP_CPU)) return true;
    const t = ctx.w[i]!;
    if (t.charCodeAt(0) === CH_I && DESKTOP_CPU.test(t)) return true;
  }
  return false;
}

function decideKind(ctx: Ctx, ev: Evidence, lowered: string): { kind: ListingKind; why: string } {
  if (ctx.has.has('box') && BOX_ONLY.test(lowered)) return { kind: 'other', why: 'box only' };
  const has = ctx.has;
  let serverWord = false;
  for (let i = 0; i < ctx.n; i++) {
    if (!isWord(ctx, i, B_SERVER_WORDS)) continue;
    // "Server RAM", "server rails", "server GPU": the word qualifies the next one.
    if (isWord(ctx, i + 1, B_RAM_WORDS | B_RAM_ITEM | B_ACCESSORY | B_GPU_CONTEXT)) continue;
    if (tok(ctx, i + 1) === 'workstation') continue;
    serverWord = true;
  }
  const gpuItem = hasAny(ctx, B_GPU_ITEM);
  const ramTagged = ev.sizes.some((s) => near(ctx, s, B_RAM_WORDS, 1, 3));
  const systemWord =
    hasAny(ctx, B_SYSTEM_WORDS) ||
    ((has.has('pc') || has.has('win')) &&
      /\b(gaming[- ]pc|mini[- ]pc|micro pc|pc tower|tower pc|desktop pc|win ?1[01]( pro| home)?)\b/.test(
        lowered,
      ));
  const drivesTagged = ev.sizes.some((s) => s.gb >= 100 && near(ctx, s, B_DRIVE_WORDS, 1, 2));
  const rackU = someToken(ctx, isRackUnits);
  let workstation = false;
  for (let i = 0; i < ctx.n; i++) {
    // Dell Precision is a workstation line (towers, racks and laptops).
    if (tok(ctx, i) !== 'workstation' && tok(ctx, i) !== 'precision') continue;
    if (isWord(ctx, i + 1, B_RAM_WORDS | B_RAM_ITEM | B_GPU_ITEM) || tok(ctx, i - 1) === 'server')
      continue;
    workstation = true;
  }
  if (workstation && ev.gpus.length > 0 && ev.cpus.length === 0 && !ramTagged) workstation = false;
  const ramSized = ev.sizes.some((s) => s.gb >= 2 && s.gb <= 128);

  const acc = accessoryHead(ctx, ev);
  const bare = !ev.chassis && ev.cpus.length === 0 && ev.gpus.length === 0;
  // Network gear heads the title ("... Ethernet Switch"), unless an accessory for it follows.
  for (let i = 0; i < ctx.n && bare && hasAny(ctx, B_NETWORK_GEAR); i++) {
    if (isWord(ctx, i, B_NETWORK_GEAR) && acc.i < i) return { kind: 'other', why: 'network gear' };
  }
  const configScore =
    (ev.cpus.length > 0 ? 1 : 0) +
    (ramTagged ? 1 : 0) +
    (hasAny(ctx, B_BAREBONE_WORDS) ? 1 : 0) +
    // Accessory words after a chassis and its CPU configuration are included extras.
    (ev.chassis && ev.cpus[0] && acc.i > ev.cpus[0].j ? 1 : 0);

  if ((systemWord || workstation) && !ev.chassis) {
    if (!(gpuItem && ev.gpus.length > 0 && !systemWord))
      return { kind: 'other', why: 'laptop/desktop/workstation words' };
  }
  if (
    (ev.gpus.length > 0 || ramSized || drivesTagged) &&
    hasDesktopCpu(ctx) &&
    !ev.chassis &&
    !has.has('xeon') &&
    !has.has('epyc')
  ) {
    return { kind: 'other', why: 'desktop CPU with a GPU, RAM or SSD: a PC or bundle' };
  }
  if (
    (has.has('no') || has.has('only')) &&
    /\bno (pcb|gpu board|graphics card|card)\b|\b(housing|cooler|shroud|bracket|heatsink|fan) only\b/.test(
      lowered,
    )
  ) {
    return { kind: 'part', why: 'accessory sold without the card' };
  }
  // A power supply is the item unless it is counted as part of a configuration ("2x 750W PSU").
  // "2x 750W PSU R730" with nothing else configured is a pair of PSUs.
  const psuIdx = psuHead(
    ctx,
    !serverWord && !hasAny(ctx, B_BAREBONE_WORDS) && acc.i < 0,
    ev.chassis ? ev.chassis.i : -1,
  );
  if (
    psuIdx >= 0 &&
    ev.cpus.length === 0 &&
    !ev.gpus.some((g) => g.known) &&
    !ramTagged &&
    !(acc.i > psuIdx)
  ) {
    return { kind: 'psu', why: `power supply noun "${tok(ctx, psuIdx)}"` };
  }
  if (acc.i >= 0 && configScore < 2) {
    return { kind: 'part', why: `accessory word "${tok(ctx, acc.i)}"` };
  }
  const hgx = has.has('hgx') || has.has('baseboard');
  const cpuItem = hasAny(ctx, B_CPU_ITEM);
  const ramLike = ev.cpus.length > 0 && ev.sizes.some((s) => serverRamLike(ctx, ev, s));
  if (ev.cpus.length > 0 && cpuItem && !ev.chassis && !rackU && !ramTagged && !ramLike)
    return { kind: 'cpu', why: 'CPU model and CPU words' };
  // "8x GPU server": the GPUs are a capability of the server being sold.
  let gpuServer = false;
  const gpuWord = has.has('gpu') || has.has('gpus');
  for (let i = 1; i < ctx.n && gpuWord; i++) {
    const t = tok(ctx, i - 1);
    if ((t === 'gpu' || t === 'gpus') && isWord(ctx, i, B_SERVER_WORDS)) gpuServer = true;
  }
  const serverVendor = hasAny(ctx, B_SERVER_VENDOR_WORDS);
  const serverStrong =
    (ev.chassis !== null && !(hgx && !serverWord)) ||
    (serverWord && (rackU || (ev.cpus.length > 0 && (!gpuItem || gpuServer)))) ||
    // CPUs plus installed memory from a server vendor or in a rack chassis: a configured server.
    (ev.cpus.length > 0 && ramLike && (serverVendor || rackU || serverWord));
  if (serverStrong) {
    // "Samsung 32GB RDIMM for R740" is memory, not a server.
    // ... and "SSD w/ R740 Tray": a chassis after for/fits/with names what the item goes into.
    let forIdx = -1;
    for (let i = 0; i < ctx.n && forIdx < 0; i++) if (isWord(ctx, i, B_FOR | B_WITH)) forIdx = i;
    const chassisAfterFor = ev.chassis !== null && forIdx >= 0 && forIdx < ev.chassis.i;
    if (!chassisAfterFor)
      return {
        kind: 'server',
        why: ev.chassis ? 'chassis model' : 'server words with a configuration',
      };
  }
  if (
    ev.gpus.length > 0 &&
    (gpuItem || hasAny(ctx, B_GPU_CONTEXT) || ev.gpus.some((g) => g.known))
  ) {
    if (!ev.cpus.length || gpuItem) return { kind: 'gpu', why: 'GPU model' };
  }
  if (ev.cpus.length > 0 && !ramTagged) return { kind: 'cpu', why: 'CPU model' };
  const ramItem = hasAny(ctx, B_RAM_ITEM) || someToken(ctx, isMemoryName);
  if (ramItem && !drivesTagged) return { kind: 'ram', why: 'memory words' };
  const driveItem = hasAny(ctx, B_DRIVE_ITEM) || drivesTagged;
  if (driveItem && ev.sizes.some((s) => s.gb >= 100))
    return { kind: 'drive', why: 'drive words with a capacity' };
  const psu = hasAny(ctx, B_PSU_WORDS) && someToken(ctx, isWatts);
  if (psu) return { kind: 'psu', why: 'power supply with watts' };
  if (ev.cpus.length > 0) return { kind: 'cpu', why: 'CPU model' };
  if (serverWord && (rackU || ev.chassis)) return { kind: 'server', why: 'server words' };
  if (acc.i >= 0) return { kind: 'part', why: 'accessory word' };
  if (ramItem) return { kind: 'ram', why: 'memory words' };
  if (acc.loose >= 0) return { kind: 'part', why: `accessory word "${tok(ctx, acc.loose)}"` };
  return { kind: 'other', why: 'nothing recognized' };
}

// ---------------------------------------------------------------------------------------------

function emptySpecs(): NormalizedSpecs {
  return {
    kind: 'other',
    vendor: null,
    chassis: null,
    formFactor: null,
    driveBays: null,
    cpuModel: null,
    cpuCount: null,
    ramGb: null,
    ramModuleGb: null,
    ramModuleCount: null,
    ramType: null,
    drives: [],
    driveCount: null,
    driveCapacityGb: null,
    storageGb: null,
    gpuModel: null,
    gpuCount: null,
    gpuMemoryGb: null,
    psuWatts: null,
    psuCount: null,
    nicSpeedsGbps: [],
    hints: [],
    lotQuantity: 1,
    partNumbers: [],
    configKey: null,
    confidence: 0,
    spans: [],
    unrecognized: [],
    reasons: {},
  };
}

const CPU_SKIP = new Set([
  'intel',
  'xeon',
  'amd',
  'epyc',
  'decacore',
  'octacore',
  'hexacore',
  'cpu',
  'cpus',
  'processor',
  'processors',
  'scalable',
]);
const GPU_SKIP = new Set([
  'nvidia',
  'tesla',
  'geforce',
  'amd',
  'radeon',
  'quadro',
  'dell',
  'hp',
  'hpe',
  'pny',
  'new',
  'gpu',
  'gpus',
  'way',
]);

/**
 * Normalizes one listing. Never throws: bad input yields kind "other" with reasons.
 */
export function normalize(input: NormalizeInput, catalogs?: Catalogs): NormalizedSpecs {
  try {
    return normalizeUnsafe(input, catalogs ?? loadCatalogs());
  } catch (err) {
    const out = emptySpecs();
    out.reasons.error = `normalizer failed: ${err instanceof Error ? err.message : String(err)}`;
    return out;
  }
}

/** Nothing but white space (what trim() removes), tested without trim()'s copy. */
const RE_BLANK = /^\s*$/;
function isBlank(s: string): boolean {
  // A visible ASCII first character settles it without the regex (most titles).
  const c = s.charCodeAt(0);
  return !(c > 32 && c < 127) && RE_BLANK.test(s);
}

function normalizeUnsafe(input: NormalizeInput, cat: Catalogs): NormalizedSpecs {
  const out = emptySpecs();
  const rawTitle = typeof input?.title === 'string' ? input.title : '';
  if (isBlank(rawTitle)) {
    out.reasons.title = 'empty title';
    return out;
  }
  if (rawTitle.length > 600)
    out.reasons.title = `title truncated from ${rawTitle.length} to 600 characters`;
  const title = cleanTitle(rawTitle);
  const lowered = title.toLowerCase();
  const toks = tokenize(title, lowered);
  const words = indexWords(toks);
  const ctx: Ctx = {
    title,
    toks,
    w: words.w,
    n: toks.length,
    m: words.m,
    cat,
    spans: out.spans,
    unrecognized: out.unrecognized,
    reasons: out.reasons,
    used: new Uint8Array(toks.length),
    has: new TitleWords(words.w, words.frequent),
    cls: words.cls,
    hints: words.hints,
  };
  if (toks.length === 0) {
    out.reasons.title = 'no words or numbers in the title';
    return out;
  }

  // Vendor: the first server vendor wins, else the first known brand.
  if (ctx.cls & VENDOR_BIT) {
    let brand: string | null = null;
    for (let i = 0; i < ctx.n; i++) {
      if (!isWord(ctx, i, VENDOR_BIT)) continue;
      const v = VENDORS.get(ctx.w[i]!);
      if (!v) continue;
      if (SERVER_VENDORS.has(v)) {
        out.vendor = v;
        break;
      }
      brand ??= v;
    }
    out.vendor ??= brand;
  }

  out.lotQuantity = lotQuantity(ctx);
  const ev: Evidence = {
    chassis: chassisHit(ctx, out.vendor),
    cpus: cpuHits(ctx),
    gpus: gpuHits(ctx),
    sizes: sizes(ctx),
  };
  mergeAttributes(input.attributes, ctx, ev);
  const { kind, why } = decideKind(ctx, ev, lowered);
  out.kind = kind;
  out.reasons.kind = why;

  hintsOf(ctx, lowered, out);

  if (kind === 'server' && ev.chassis) {
    out.chassis = ev.chassis.model;
    out.vendor = ev.chassis.vendor ?? out.vendor;
    span(ctx, 'chassis', ev.chassis.i, ev.chassis.j);
  }

  // CPU
  if (kind === 'server' || kind === 'cpu' || kind === 'other') {
    const known = ev.cpus.filter((c) => c.known || c.wellFormed);
    for (const c of ev.cpus)
      if (!c.known && !c.wellFormed) ctx.unrecognized.push({ field: 'cpuModel', token: c.model });
    const distinct = new Set(known.map((c) => c.model));
    const first = known[0];
    if (distinct.size > 1)
      out.reasons.cpuModel = `several CPU models listed: ${[...distinct].join(', ')}`;
    else if (first) {
      out.cpuModel = first.model;
      if (!first.known)
        out.reasons.cpuScore = `CPU "${first.model}" fits the vendor naming but is not in the catalog: score unknown`;
      span(ctx, 'cpuModel', first.i, first.j);
      let q = qtyBefore(ctx, first.i, CPU_SKIP) ?? qtyAfter(ctx, first.j);
      if (q === null && known.length > 1 && known.length <= 8) q = known.length;
      if (q !== null && q >= 1 && q <= 8) out.cpuCount = q;
      else if (kind === 'cpu') out.cpuCount = 1;
      else if (kind === 'server' && cat.cpu(first.model)?.maxSockets === 1) out.cpuCount = 1;
    } else if (ev.cpus.length > 0) {
      out.reasons.cpuModel = `CPU "${ev.cpus[0]?.model}" is not in the catalog`;
    }
    if (out.cpuCount === null && kind === 'server') {
      for (let i = 0; i < toks.length; i++) {
        if (tok(ctx, i) === 'xeon' || tok(ctx, i) === 'epyc') {
          const q = qtyBefore(ctx, i, CPU_SKIP);
          if (q !== null && q >= 1 && q <= 8) {
            out.cpuCount = q;
            break;
          }
        }
      }
    }
    if (kind === 'cpu' && out.cpuCount !== null && out.lotQuantity > 1)
      out.cpuCount *= out.lotQuantity;
    if (kind === 'other') out.cpuCount = null;
  }

  // GPU
  if (kind === 'gpu' || kind === 'server') gpuFields(ctx, ev, out);

  // Memory
  let ramSize: Size | null = null;
  if (kind === 'ram') ramFields(ctx, ev, out, lowered);
  else if (kind === 'server') ramSize = serverRam(ctx, ev, out);
  if (kind === 'ram' || kind === 'server') out.ramType = ramType(ctx);

  // Drives
  if (kind === 'drive') driveFields(ctx, ev, out);
  else if (kind === 'server') serverDrives(ctx, ev, out, ramSize);

  if (kind === 'server' || kind === 'psu') psuFields(ctx, out);
  if (kind === 'server') serverShape(ctx, out);
  if (kind === 'server' || kind === 'part') nicFields(ctx, out);
  partNumbers(ctx, out);
  out.configKey = configKey(out);
  out.confidence = confidence(out, ev);
  return out;
}

function gpuFields(ctx: Ctx, ev: Evidence, out: NormalizedSpecs): void {
  const hits = ev.gpus;
  for (const g of hits) if (!g.known) ctx.unrecognized.push({ field: 'gpuModel', token: g.model });
  const known = hits.filter((g) => g.known);
  const first = known[0];
  if (!first) {
    if (out.kind === 'gpu') out.gpuCount = out.lotQuantity;
    if (hits.length) out.reasons.gpuModel = `GPU "${hits[0]?.model}" is not in the catalog`;
    return;
  }
  // A list right after the first model ("P4 8GB P40 24GB", "A4000 A5000") offers options.
  let listEnd = first.j;
  const listed = [first];
  let conj = false;
  for (const g of known.slice(1)) {
    let ok = true;
    for (let k = listEnd + 1; k < g.i; k++) {
      const t = tok(ctx, k);
      if (t === 'und' || t === 'and' || t === 'plus' || t === 'mit') conj = true;
      else if (!(RE_SIZE.test(t) || t === 'or' || t === 'oder' || GPU_SKIP.has(t) || t === 'gb'))
        ok = false;
    }
    if (!ok) break;
    listed.push(g);
    listEnd = g.j;
  }
  const distinct = new Set(listed.map((g) => g.model));
  const memories: Size[] = [];
  for (const s of ev.sizes)
    if (s.unit !== 'mb' && s.gb >= 1 && s.gb <= 192 && !near(ctx, s, B_DRIVE_ITEM, 0, 1))
      memories.push(s);
  if (distinct.size > 1) {
    out.reasons.gpuModel = `several GPU models listed: ${[...distinct].join(', ')}`;
    if (out.kind === 'gpu') out.gpuCount = conj ? distinct.size : 1;
    const mems = new Set(memories.map((s) => s.gb));
    if (mems.size === 1 && out.kind === 'gpu') out.gpuMemoryGb = memories[0]?.gb ?? null;
    return;
  }
  out.gpuModel = first.model;
  span(ctx, 'gpuModel', first.i, first.j);
  const qt = tok(ctx, first.i - 1);
  // GPU board lines ("Asus Dual", "PNY Verto Dual") are names, not quantities.
  let q =
    qt === 'dual' || qt === 'twin' || qt === 'single'
      ? null
      : qtyBefore(ctx, first.i, GPU_SKIP, false);
  for (let k = first.i - 1; k >= Math.max(0, first.i - 4); k--) {
    if (RE_QTY.test(tok(ctx, k)) && PRODUCT_LINES.has(tok(ctx, k - 1))) q = null;
  }
  if (q !== null && q >= 1 && q <= 16) out.gpuCount = q;
  else if (out.kind === 'gpu') out.gpuCount = 1;
  if (out.kind === 'gpu' && out.lotQuantity > 1)
    out.gpuCount = (out.gpuCount ?? 1) * out.lotQuantity;
  // Memory: first size after the model, else the nearest before it.
  let mem: Size | undefined;
  for (const s of memories) {
    if (s.i > first.i && (out.kind === 'gpu' || s.i - first.j <= 3)) {
      mem = s;
      break;
    }
  }
  if (!mem && out.kind === 'gpu') for (const s of memories) if (s.i < first.i) mem = s;
  if (!mem) {
    // "V100-SXM2-32GB", ASUS "O16G" (OC, 16 GB)
    const g = /-(\d{1,3})gb?(?:-|$)/.exec(tok(ctx, first.i));
    if (g?.[1]) out.gpuMemoryGb = Number(g[1]);
    else
      for (let k = first.j + 1; k < ctx.toks.length; k++) {
        const o = /^o(\d{1,2})g$/.exec(tok(ctx, k));
        if (o?.[1]) {
          out.gpuMemoryGb = Number(o[1]);
          break;
        }
      }
  } else if (out.kind === 'gpu' || !near(ctx, mem, B_RAM_WORDS, 0, 2)) {
    out.gpuMemoryGb = mem.gb;
    span(ctx, 'gpuMemoryGb', mem.i, mem.j);
  }
}

function ramFields(ctx: Ctx, ev: Evidence, out: NormalizedSpecs, lowered: string): void {
  const list = ev.sizes.filter((s) => s.unit !== 'mb' && s.gb >= 1 && s.gb <= 2048);
  if (list.length === 0) {
    out.reasons.ramGb = 'no module size in the title';
    return;
  }
  const module = list.find((s) => s.mult !== null);
  let total: number;
  if (module?.mult) {
    total = module.gb * module.mult;
    out.ramModuleGb = module.gb;
    out.ramModuleCount = module.mult;
    span(ctx, 'ramGb', module.i, module.j);
  } else {
    const first = list[0]!;
    // Options: a run of different sizes right after the first one ("4GB 8GB 16GB 32GB").
    const next = list[1];
    const adjacent = next !== undefined && next.i === first.j + 1 && next.gb !== first.gb;
    const leadQty =
      RE_QTY.exec(tok(ctx, 0)) ??
      (RE_INT.test(tok(ctx, 0)) && tok(ctx, 1) === 'x' ? [tok(ctx, 0), tok(ctx, 0)] : null);
    const lead = leadQty?.[1] ? Number(leadQty[1]) : null;
    if (adjacent && !(lead && next && lead * first.gb === next.gb)) {
      const run = list.filter((s, k) => k === 0 || s.i === list[k - 1]!.j + 1);
      if (run.length >= 3 || list.indexOf(first) === 0) {
        out.reasons.ramGb = 'several module sizes offered';
        if (run.length >= 2) return;
      }
    }
    out.ramModuleGb = first.gb;
    out.ramModuleCount = lead ?? 1;
    total = first.gb * (lead ?? 1);
    span(ctx, 'ramGb', first.i, first.j);
  }
  void lowered;
  if (out.lotQuantity > 1) {
    total *= out.lotQuantity;
    out.ramModuleCount = (out.ramModuleCount ?? 1) * out.lotQuantity;
  }
  out.ramGb = total;
}

/** RAM totals written in TB that a server can hold (1TB = 1024GB). */
const RAM_TB = new Set([1000, 1500, 2000, 3000, 4000, 6000]);

/**
 * Like near(), but a word only tags a size when nothing else sits between them: the scan stops at
 * another number ("512GB 8SFF NVMe") and at a negation ("192GB No HDD").
 */
function tagged(ctx: Ctx, s: Size, bit: number, before: number, after: number): boolean {
  for (let k = s.j + 1; k <= s.j + after; k++) {
    if (k < 0 || k >= ctx.n) break;
    if (isWord(ctx, k, bit)) return true;
    if (ctx.toks[k]!.d || isWord(ctx, k, B_NEGATOR)) break;
  }
  for (let k = s.i - 1; k >= s.i - before; k--) {
    if (k < 0 || k >= ctx.n) break;
    if (isWord(ctx, k, bit)) return true;
    if (ctx.toks[k]!.d) break;
  }
  return false;
}

/** Installed RAM of a server; returns the size used so drives do not count it again. */
function serverRam(ctx: Ctx, ev: Evidence, out: NormalizedSpecs): Size | null {
  const afterCpu = ev.cpus[0] && ev.cpus[0].i >= 0 ? ev.cpus[0].j : -1;
  for (const s of ev.sizes) {
    if (s.unit === 'mb') continue;
    const ramTag = tagged(ctx, s, B_RAM_WORDS, 0, 2);
    const driveTag = tagged(ctx, s, B_DRIVE_WORDS, 1, 2);
    // Memory right after a GPU model is the GPU's, unless no GPU has that much.
    const gpuTag =
      (s.gb <= 192 && ev.gpus.some((g) => s.i > g.j && s.i - g.j <= 2)) ||
      near(ctx, s, B_GPU_CONTEXT, 0, 1);
    if (driveTag || gpuTag) continue;
    const tb = s.unit === 't' || s.unit === 'tb';
    if (s.mult !== null && (ramTag || (RAM_SIZES.has(s.gb) && !tb))) {
      out.ramModuleGb = s.gb;
      out.ramModuleCount = s.mult;
      out.ramGb ??= s.gb * s.mult;
      span(ctx, 'ramGb', s.i, s.j);
      return s;
    }
    if (s.mult !== null) continue;
    // "1.5TB" after the CPUs of a server is its memory; drives come with a count or a drive word.
    const tbRam = tb && RAM_TB.has(s.gb) && (ramTag || (afterCpu >= 0 && s.i > afterCpu));
    if (ramTag || tbRam || (RAM_SIZES.has(s.gb) && !tb)) {
      if (ramTag || tbRam || s.gb >= 16) {
        out.ramGb = s.gb >= 1000 && s.unit !== 'gb' && s.unit !== 'g' ? (s.gb / 1000) * 1024 : s.gb;
        span(ctx, 'ramGb', s.i, s.j);
        // "384GB (12x32GB)"
        const nx = ev.sizes.find((x) => x.i > s.j && x.i <= s.j + 2 && x.mult !== null);
        if (nx?.mult) {
          out.ramModuleGb = nx.gb;
          out.ramModuleCount = nx.mult;
        }
        return nx && nx.gb * (nx.mult ?? 1) === out.ramGb ? nx : s;
      }
    }
  }
  return null;
}

const PC_RATE = new Map([
  [12800, 1600],
  [14900, 1866],
  [17000, 2133],
  [19200, 2400],
  [21300, 2666],
  [23400, 2933],
  [25600, 3200],
  [10600, 1333],
  [8500, 1066],
  [38400, 4800],
  [44800, 5600],
]);

const RE_DDR = /^ddr([345])(?:-(\d{4}))?/;
const RE_PC_RATE = /^pc([345])l?-(\d{4,5})/;
const RE_SPEED = /^(1600|1866|2133|2400|2666|2933|3200|4800|5600)(mhz|mt\/s|[ptvy]|aa)?$/;

function ramType(ctx: Ctx): string | null {
  let gen = '';
  let speed = 0;
  for (const t of ctx.toks) {
    // Generations and speeds all carry a digit.
    if (!t.d) continue;
    let m = RE_DDR.exec(t.t);
    if (m?.[1]) {
      gen = m[1];
      if (m[2]) speed = Number(m[2]);
      continue;
    }
    m = RE_PC_RATE.exec(t.t);
    if (m?.[1] && m[2]) {
      gen ||= m[1] === '3' ? '3' : m[1];
      const v = Number(m[2]);
      speed ||= v < 4000 ? v : (PC_RATE.get(v) ?? 0);
      continue;
    }
    if (!speed && RE_SPEED.test(t.t)) {
      speed = Number(t.t.slice(0, 4));
    }
  }
  if (!gen) return null;
  return speed ? `DDR${gen}-${speed}` : `DDR${gen}`;
}

function driveMeta(ctx: Ctx): Pick<DriveSpec, 'media' | 'bus' | 'formFactor'> {
  const h = ctx.has;
  const bus =
    h.has('nvme') || h.has('u.2')
      ? 'nvme'
      : h.has('sas') || h.has('sas3')
        ? 'sas'
        : h.has('sata')
          ? 'sata'
          : null;
  const media = h.has('nvme')
    ? 'nvme'
    : h.has('ssd') || h.has('flash')
      ? 'ssd'
      : h.has('hdd') || ctx.toks.some((t) => /^(7\.2|10|15)k(rpm)?$/.test(t.t))
        ? 'hdd'
        : null;
  const formFactor = h.has('u.2')
    ? 'u.2'
    : h.has('m.2')
      ? 'm.2'
      : h.has('2.5') || h.has('sff') || h.has('2.5in')
        ? '2.5'
        : h.has('3.5') || h.has('lff') || h.has('3.5in')
          ? '3.5'
          : null;
  return { media, bus, formFactor };
}

function driveFields(ctx: Ctx, ev: Evidence, out: NormalizedSpecs): void {
  const s = ev.sizes.find((x) => x.gb >= 32 && x.unit !== 'mb');
  if (!s) {
    out.reasons.driveCapacityGb = 'no capacity in the title';
    return;
  }
  // A count already read as the lot size ("LOT OF 5 1.92TB") is not a second multiplier.
  const before = ctx.used[s.i - 1] ? null : qtyBefore(ctx, s.i);
  const lead = RE_QTY.exec(tok(ctx, 0));
  const count =
    (s.mult ?? before ?? (lead?.[1] && !ctx.used[0] ? Number(lead[1]) : null) ?? 1) *
    out.lotQuantity;
  out.driveCapacityGb = s.gb;
  out.driveCount = count;
  out.storageGb = s.gb * count;
  out.drives = [{ count, capacityGb: s.gb, ...driveMeta(ctx) }];
  span(ctx, 'driveCapacityGb', s.i, s.j);
}

/** DIMM sizes: "8x 128GB" in a server is memory unless a drive word says otherwise. */
const DIMM_GB = new Set([1, 2, 4, 8, 16, 32, 64, 128, 256]);

function serverDrives(ctx: Ctx, ev: Evidence, out: NormalizedSpecs, ram: Size | null): void {
  const meta = driveMeta(ctx);
  for (const s of ev.sizes) {
    if (s.gb < 100 || s.unit === 'mb' || s.mult === null || s === ram) continue;
    if (ram && s.i > ram.i && s.j <= ram.j + 2 && s.gb * s.mult === out.ramGb) continue;
    // "12x 4TB", "8x 146GB", "2x 960GB SSD": a counted size that no DIMM has, or drive words.
    const tb = s.unit === 't' || s.unit === 'tb';
    if (!(tb || !DIMM_GB.has(s.gb) || near(ctx, s, B_DRIVE_WORDS, 0, 3))) continue;
    out.drives.push({ count: s.mult, capacityGb: s.gb, ...meta });
    span(ctx, 'drives', s.i, s.j);
  }
  if (out.drives.length > 0) {
    out.driveCount = out.drives.reduce((a, d) => a + d.count, 0);
    out.storageGb = out.drives.reduce((a, d) => a + d.count * d.capacityGb, 0);
    const caps = new Set(out.drives.map((d) => d.capacityGb));
    out.driveCapacityGb = caps.size === 1 ? (out.drives[0]?.capacityGb ?? null) : null;
  }
}

function psuFields(ctx: Ctx, out: NormalizedSpecs): void {
  for (let i = 0; i < ctx.n; i++) {
    const m = ctx.toks[i]!.d ? RE_WATTS.exec(tok(ctx, i)) : null;
    if (!m?.[1]) continue;
    const w = Number(m[1]);
    if (w < 200 || w > 3600) continue;
    const q = qtyBefore(ctx, i);
    out.psuWatts = w;
    out.psuCount = q ?? (out.kind === 'psu' ? 1 : null);
    span(ctx, 'psuWatts', i, i);
    return;
  }
  for (let i = 0; i < ctx.n; i++) {
    const t = tok(ctx, i);
    if ((t === 'psu' || t === 'psus') && out.psuCount === null) {
      const q = qtyBefore(ctx, i);
      if (q) out.psuCount = q;
    }
  }
}

function serverShape(ctx: Ctx, out: NormalizedSpecs): void {
  for (let i = 0; i < ctx.n; i++) {
    const t = tok(ctx, i);
    // Rack units, bays and counts all start with a digit.
    const digit = startsWithDigit(t);
    const u = digit && t.length === 2 ? RE_U.exec(t) : null;
    if (u && !out.formFactor) out.formFactor = `${u[1]}U`;
    if (!out.formFactor && (t === 'tower' || t === 'mini-tower')) out.formFactor = 'tower';
    if (out.driveBays || !digit) continue;
    const b = RE_BAYS.exec(t);
    if (b?.[1] && b[2]) {
      const count = Number(b[1]);
      let size: 'LFF' | 'SFF' | null =
        b[2] === 'lff' || b[2] === 'x3.5'
          ? 'LFF'
          : b[2] === 'sff' || b[2] === 'x2.5'
            ? 'SFF'
            : null;
      if (!size) {
        const nx = tok(ctx, i + 1);
        size = nx === 'lff' || nx === '3.5' ? 'LFF' : nx === 'sff' || nx === '2.5' ? 'SFF' : null;
      }
      if (count > 0 && count <= 60) out.driveBays = { count, size };
      continue;
    }
    if (RE_INT.test(t) && Number(t) <= 60) {
      let k = i + 1;
      if (tok(ctx, k) === 'x') k++;
      const nx = tok(ctx, k);
      const size =
        nx === 'lff' || nx === '3.5' ? 'LFF' : nx === 'sff' || nx === '2.5' ? 'SFF' : null;
      if (size || nx === 'bay' || nx === 'bays' || nx === '-bay') {
        out.driveBays = {
          count: Number(t),
          size:
            size ?? (tok(ctx, k + 1) === 'sff' ? 'SFF' : tok(ctx, k + 1) === 'lff' ? 'LFF' : null),
        };
      }
    }
  }
}

function nicFields(ctx: Ctx, out: NormalizedSpecs): void {
  for (let i = 0; i < ctx.n; i++) {
    const t = tok(ctx, i);
    const m = startsWithDigit(t) ? RE_NIC.exec(t) : null;
    if (!m?.[1]) continue;
    if (
      m[2] === 'g' &&
      !/^(sfp|sfp\+|sfp28|qsfp|nic|ethernet|network|lan|port)/.test(tok(ctx, i + 1))
    )
      continue;
    if (ctx.has.has('sas') && (m[1] === '12' || m[1] === '6')) continue;
    const v = Number(m[1]);
    if (!out.nicSpeedsGbps.includes(v)) out.nicSpeedsGbps.push(v);
  }
}

function partNumbers(ctx: Ctx, out: NormalizedSpecs): void {
  const dell = out.vendor === 'Dell';
  for (let i = 0; i < ctx.n; i++) {
    const tk = ctx.toks[i]!;
    if (ctx.used[i] || !tk.d) continue;
    const t = tk.t;
    if (t.length < 5) continue;
    const patterns = PART_BY_FIRST.get(t.charCodeAt(0));
    let hit = false;
    for (const re of patterns ?? []) {
      if (re.test(t)) {
        hit = true;
        break;
      }
    }
    if (!hit && dell && RE_DELL_PN.test(t) && /\d/.test(t) && /[a-z].*[a-z]/.test(t)) {
      const raw = ctx.title.slice(tk.s, tk.e);
      hit =
        raw === raw.toUpperCase() && !RE_DELL.test(t) && !/^(h\d{3}p?|x\d{2}|\d+[a-z]+)$/.test(t);
    }
    if (hit) out.partNumbers.push(ctx.title.slice(tk.s, tk.e).toUpperCase());
  }
}

/** [pattern, hint, words one of which must be a token before the pattern is worth running]. */
const HINTS: Array<[RegExp, string, string[]]> = [
  [
    /\b(for parts|parts only|for repair|defekt\w*|not working|non[- ]?working|no post|as[- ]is|scrap|ecc errors|bad|broken|nonworking)\b/,
    'for-parts',
    [
      'parts',
      'repair',
      'working',
      'non-working',
      'post',
      'as-is',
      'is',
      'scrap',
      'errors',
      'bad',
      'broken',
      'nonworking',
      'defekt',
      'defektes',
      'defekte',
    ],
  ],
  [
    /\b(untested|ungetestet|nicht getestet|not tested)\b/,
    'untested',
    ['untested', 'ungetestet', 'getestet', 'tested'],
  ],
  [/\b(no|without|ohne|w\/o) (ram|memory|dimms?)\b/, 'no-ram', ['no', 'without', 'ohne', 'w']],
  [
    /\b(no|without|ohne|w\/o) (hdds?|drives?|ssds?|disks?|storage|hdd\/ssd)\b/,
    'no-drives',
    ['no', 'without', 'ohne', 'w'],
  ],
  [
    /\b(no|without|ohne|w\/o) (cpus?|processors?|prozessor)\b/,
    'no-cpu',
    ['no', 'without', 'ohne', 'w'],
  ],
  [
    /\b(barebones?|barbone|cto|серверная платформа)\b/,
    'barebones',
    ['barebone', 'barebones', 'barbone', 'cto', 'платформа'],
  ],
  [
    /\b(refurbished|refurb|generalüberholt|renewed)\b/,
    'refurbished',
    ['refurbished', 'refurb', 'generalüberholt', 'renewed'],
  ],
  [
    /\b(brand ?new|new|neu|sealed|nib|nos)\b/,
    'new',
    ['new', 'brandnew', 'brand', 'neu', 'sealed', 'nib', 'nos'],
  ],
];

interface WordInfo {
  /** Bits of the CLASS_SETS holding the word. */
  cls: number;
  /** Bits of the HINTS entries the word gates (bit k = HINTS[k]). */
  hints: number;
  /** Bit of the word in FREQUENT_WORDS, 0 for other words. */
  frequent: number;
}

/**
 * Words the rules ask ctx.has about on most titles (at most 31). A bit per word answers them, so
 * the Set of the title's words is only built for rarer questions (drive details, attributes).
 */
const FREQUENT_WORDS = [
  ...['box', 'pc', 'win', 'no', 'only', 'server', 'xeon', 'intel', 'epyc', 'nvidia', 'quadro'],
  ...['gpu', 'gpus', 'hgx', 'baseboard', 'supply', 'supplies', 'питания', 'sas'],
];
if (FREQUENT_WORDS.length > 31) throw new Error('more frequent words than bits in an int');
const FREQUENT_BIT = new Map(FREQUENT_WORDS.map((w, k) => [w, 1 << k]));

/** Every word of a class, a hint gate or FREQUENT_WORDS: one lookup per token. */
const WORD_INFO = new Map<string, WordInfo>();
const wordInfo = (w: string): WordInfo => {
  let info = WORD_INFO.get(w);
  if (!info) WORD_INFO.set(w, (info = { cls: 0, hints: 0, frequent: 0 }));
  return info;
};
CLASS_SETS.forEach((set, k) => {
  for (const w of set) wordInfo(w).cls |= 1 << k;
});
HINTS.forEach(([, , words], k) => {
  for (const w of words) wordInfo(w).hints |= 1 << k;
});
for (const [w, bit] of FREQUENT_BIT) wordInfo(w).frequent = bit;

/** The words of a title (plus tags), asked one at a time: has('xeon'). */
class TitleWords {
  private set: Set<string> | null = null;
  private readonly extra: string[] = [];

  /** `words` is read, never changed; `frequent` has the FREQUENT_BIT of each word in it. */
  constructor(
    private readonly words: readonly string[],
    private frequent: number,
  ) {}

  has(w: string): boolean {
    const bit = FREQUENT_BIT.get(w);
    if (bit !== undefined) return (this.frequent & bit) !== 0;
    this.set ??= new Set([...this.words, ...this.extra]);
    return this.set.has(w);
  }

  add(w: string): void {
    this.extra.push(w);
    this.frequent |= FREQUENT_BIT.get(w) ?? 0;
    this.set?.add(w);
  }

  copy(): TitleWords {
    const c = new TitleWords(this.words, this.frequent);
    c.extra.push(...this.extra);
    return c;
  }
}

function hintsOf(ctx: Ctx, lowered: string, out: NormalizedSpecs): void {
  // ctx.hints has the bit of every hint one of whose gate words is in the title.
  const gates = ctx.hints;
  if (gates === 0) return;
  for (let k = 0; k < HINTS.length; k++) {
    const [re, h] = HINTS[k]!;
    if ((gates & (1 << k)) !== 0 && re.test(lowered)) out.hints.push(h);
  }
  if (out.hints.includes('new') && /\b(wie neu|like new|neuwertig)\b/.test(lowered)) {
    out.hints.splice(out.hints.indexOf('new'), 1);
  }
}

function configKey(o: NormalizedSpecs): string | null {
  const l = (s: string | null): string => (s ? s.toLowerCase() : '?');
  switch (o.kind) {
    case 'server': {
      const cpu = o.cpuModel ? `${o.cpuCount ?? '?'}x ${o.cpuModel.toLowerCase()}` : '?';
      const parts = ['server', l(o.chassis), cpu, o.ramGb !== null ? `${o.ramGb}gb` : '?'];
      if (o.gpuModel) parts.push(`${o.gpuCount ?? '?'}x ${o.gpuModel.toLowerCase()}`);
      return parts.join('|');
    }
    case 'gpu':
      return o.gpuModel
        ? `gpu|${o.gpuModel.toLowerCase()}|${o.gpuMemoryGb !== null ? `${o.gpuMemoryGb}gb` : '?'}`
        : null;
    case 'cpu':
      return o.cpuModel ? `cpu|${o.cpuModel.toLowerCase()}` : null;
    case 'ram': {
      const gb = o.ramModuleGb ?? o.ramGb;
      return gb !== null
        ? `ram|${gb}gb|${o.ramType ? o.ramType.split('-')[0]!.toLowerCase() : '?'}`
        : null;
    }
    case 'drive': {
      const d = o.drives[0];
      return d ? `drive|${d.capacityGb}gb|${d.bus ?? '?'}|${d.media ?? '?'}` : null;
    }
    case 'psu':
      return o.partNumbers[0]
        ? `psu|${o.partNumbers[0].toLowerCase()}`
        : o.psuWatts
          ? `psu|${o.psuWatts}w`
          : null;
    case 'part':
      return o.partNumbers[0] ? `part|${o.partNumbers[0].toLowerCase()}` : null;
    default:
      return null;
  }
}

function confidence(o: NormalizedSpecs, ev: Evidence): number {
  let c = 0.4;
  if (o.kind === 'server')
    c += (o.chassis ? 0.3 : 0) + (o.cpuModel ? 0.15 : 0) + (o.ramGb ? 0.1 : 0);
  else if (o.kind === 'gpu') c += (o.gpuModel ? 0.4 : 0) + (o.gpuMemoryGb ? 0.1 : 0);
  else if (o.kind === 'cpu') c += o.cpuModel ? 0.5 : 0;
  else if (o.kind === 'ram') c += (o.ramGb ? 0.35 : 0) + (o.ramType ? 0.15 : 0);
  else if (o.kind === 'drive') c += (o.driveCapacityGb ? 0.35 : 0) + (o.drives[0]?.bus ? 0.1 : 0);
  else if (o.kind === 'part') c += o.partNumbers.length ? 0.3 : 0.15;
  else c += ev.gpus.length || ev.cpus.length ? 0.1 : 0.2;
  c -= Math.min(0.3, o.unrecognized.length * 0.1);
  return Math.max(0, Math.min(1, Math.round(c * 100) / 100));
}

// ---------------------------------------------------------------------------------------------
// Attributes: item specifics / Shopify tags as secondary evidence.

const ATTR_GPU = /gpu|chipset|grafik|graphics|chipsatz|processeur graphique|видеокарт/i;
const ATTR_CPU =
  /^(processor|prozessor|processeur|procesador|cpu)( model| modell| type|typ)?$|processor model|prozessormodell|modèle du processeur/i;
const ATTR_MEM =
  /memory size|speichergröße|taille de la mémoire|capacidad de memoria|ram size|arbeitsspeichergröße|total ram|capacity|kapazität/i;
const ATTR_MODEL = /^(model|modell|modèle|modelo|mpn|product line|produktlinie|série)$/i;

function mergeAttributes(attrs: NormalizeInput['attributes'], ctx: Ctx, ev: Evidence): void {
  if (!attrs || typeof attrs !== 'object') return;
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value !== 'string' || !value.trim() || value.length > 200) continue;
    const sub = tokenize(cleanTitle(value));
    const words = indexWords(sub);
    const has = ctx.has.copy();
    for (const t of sub) has.add(t.t);
    const sctx: Ctx = {
      ...ctx,
      toks: sub,
      w: words.w,
      n: sub.length,
      m: words.m,
      used: new Uint8Array(sub.length),
      has,
      cls: ctx.cls | words.cls,
      spans: [],
    };
    const note = (field: string, text: string): void => {
      ctx.spans.push({ field, text, start: -1, end: -1, from: key });
    };
    if (ev.gpus.length === 0 && ATTR_GPU.test(key)) {
      const g = gpuHits(sctx).filter((h) => h.known);
      if (g[0]) {
        ev.gpus.push({ ...g[0], i: -1, j: -1 });
        note('gpuModel', value);
      }
    } else if (ev.cpus.length === 0 && ATTR_CPU.test(key)) {
      const c = cpuHits(sctx).filter((h) => h.known);
      if (c[0]) {
        ev.cpus.push({ ...c[0], i: -1, j: -1 });
        note('cpuModel', value);
      }
    } else if (!ev.chassis && ATTR_MODEL.test(key)) {
      const h = chassisHit(sctx, null);
      if (h) {
        ev.chassis = { ...h, i: -1, j: -1 };
        note('chassis', value);
      }
    } else if (ATTR_MEM.test(key) && ev.sizes.length === 0) {
      const s = sizes(sctx);
      if (s[0]) {
        ctx.reasons.attributes = `memory size from "${key}"`;
        note('size', value);
      }
    } else if (/^(tags|schlagworte)$/i.test(key)) {
      // Shopify tags: extra words for kind decisions only.
      for (const t of sub) ctx.has.add(t.t);
      ctx.cls |= words.cls;
      ctx.hints |= words.hints;
    }
  }
}
