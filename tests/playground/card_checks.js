// Run in the playground's page on one rendered Adaptive Card (the .ac-adaptiveCard element):
// how many pieces of text it looked at, and a sentence for each one a person could not read.
//  - text running past the card's edge, or clipped by a box with no ellipsis to say so;
//  - text whose contrast with what is behind it is under 4.5:1 (WCAG 2.1 AA, normal text).
(card) => {
  const problems = [];
  let checked = 0;
  const edge = card.getBoundingClientRect();

  const rgba = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let a = el; a; a = a.parentElement) {
      const c = rgba(getComputedStyle(a).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reduceRight((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const luminance = ([r, g, b]) => {
    const lin = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (fg, bg) => {
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const visible = (el) => {
    for (let a = el; a && a !== card.parentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === "none" || s.visibility === "hidden" || Number(s.opacity) === 0) return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  for (const el of card.querySelectorAll("*")) {
    const ownText = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.textContent)
      .join("")
      .trim();
    if (!ownText || !visible(el)) continue;
    checked += 1;
    const quote = `"${ownText.slice(0, 70)}${ownText.length > 70 ? "…" : ""}"`;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (box.right > edge.right + 1 || box.left < edge.left - 1) {
      problems.push(`${quote} runs past the card's edge`);
    }
    // Clipped: by its own box (its text is wider than it), or by a box around it.
    for (let a = el; a && a !== card.parentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === "visible") continue;
      const clip = a.getBoundingClientRect();
      const cut =
        a === el
          ? a.scrollWidth > a.clientWidth + 1
          : box.right > clip.right + 1 || box.left < clip.left - 1;
      if (cut && s.textOverflow !== "ellipsis") problems.push(`${quote} is cut off with no ellipsis`);
      if (cut) break;
    }
    const behind = background(el);
    const ratio = contrast(over(rgba(style.color), behind), behind);
    if (ratio < 4.5) {
      problems.push(`${quote} has contrast ${ratio.toFixed(2)}:1 (${style.color}), under 4.5:1`);
    }
  }
  return { checked, problems };
}
