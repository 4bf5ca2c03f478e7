// Node-only: bursty packet loss in an Ogg Opus stream. A lost packet is replaced by its TOC byte alone: libopus
// decodes a packet of one byte as a lost frame of the duration its TOC names (packet loss concealment), so the
// decoded track keeps its length and alignment, exactly as a jitter buffer hands the decoder a gap.

/** Ogg's CRC-32 (polynomial 0x04c11db7, not reflected, initial 0). */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    t[i] = r >>> 0;
  }
  return t;
})();

export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ page[i]!) & 0xff]!) >>> 0;
  return crc >>> 0;
}

/**
 * Gilbert-Elliott loss: from the good state a loss burst starts with probability pStart; inside a burst each
 * next packet is lost with probability pStay. Mean burst = 1 / (1 - pStay) packets.
 */
export function gilbertElliott(rand: () => number, lossRate: number, meanBurst: number): () => boolean {
  const pStay = 1 - 1 / meanBurst;
  const pStart = lossRate / (meanBurst * (1 - lossRate));
  let bad = false;
  return () => {
    bad = bad ? rand() < pStay : rand() < pStart;
    return bad;
  };
}

/** Rewrites an Ogg Opus file, dropping audio packets where lose() says so; returns the new file and the count lost. */
export function dropOpusPackets(
  ogg: Uint8Array,
  lose: () => boolean,
): { ogg: Uint8Array; lost: number; packets: number } {
  const out: Uint8Array[] = [];
  let off = 0;
  let pageNo = 0;
  let lost = 0;
  let packets = 0;
  while (off + 27 <= ogg.length) {
    if (ogg[off] !== 0x4f || ogg[off + 1] !== 0x67 || ogg[off + 2] !== 0x67 || ogg[off + 3] !== 0x53)
      throw new Error('not an Ogg page');
    const nSeg = ogg[off + 26]!;
    const lacing = ogg.subarray(off + 27, off + 27 + nSeg);
    let bodyLen = 0;
    for (const l of lacing) bodyLen += l;
    const headerLen = 27 + nSeg;
    const page = ogg.subarray(off, off + headerLen + bodyLen);
    off += headerLen + bodyLen;
    const continued = (page[5]! & 1) === 1;
    const openEnd = nSeg > 0 && lacing[nSeg - 1] === 255;
    // Pages 0 and 1 carry OpusHead and OpusTags; pages with a packet spanning a page boundary are left whole.
    if (pageNo++ < 2 || continued || openEnd) {
      out.push(page);
      continue;
    }
    const body = page.subarray(headerLen);
    const pkts: Uint8Array[] = [];
    let p = 0;
    let start = 0;
    for (const l of lacing) {
      p += l;
      if (l < 255) {
        pkts.push(body.subarray(start, p));
        start = p;
      }
    }
    const kept = pkts.map((pk) => {
      packets++;
      if (pk.length > 1 && lose()) {
        lost++;
        return pk.subarray(0, 1);
      }
      return pk;
    });
    const lace: number[] = [];
    for (const pk of kept) {
      let n = pk.length;
      while (n >= 255) {
        lace.push(255);
        n -= 255;
      }
      lace.push(n);
    }
    const size = kept.reduce((s, pk) => s + pk.length, 0);
    const np = new Uint8Array(27 + lace.length + size);
    np.set(page.subarray(0, 26));
    np[26] = lace.length;
    np.set(lace, 27);
    let q = 27 + lace.length;
    for (const pk of kept) {
      np.set(pk, q);
      q += pk.length;
    }
    np[22] = np[23] = np[24] = np[25] = 0;
    new DataView(np.buffer).setUint32(22, oggCrc(np), true);
    out.push(np);
  }
  const total = out.reduce((s, x) => s + x.length, 0);
  const res = new Uint8Array(total);
  let q = 0;
  for (const x of out) {
    res.set(x, q);
    q += x.length;
  }
  return { ogg: res, lost, packets };
}
