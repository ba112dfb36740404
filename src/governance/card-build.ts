/**
 * A card from gathered facts: each section gets its title, `as_of` and staleness under the policy at `now`; the
 * content hash covers the facts only (never staleness or the render time), so it changes exactly when a fact does.
 */
import { CARD_SECTIONS } from '../contract/cards.js';
import { canonicalJson, sha256Hex } from './card-json.js';
import { type Card, type CardFacts, type CardPolicy, type Section, SECTION_TITLES, STALE_POLICY_OF } from './card-types.js';
import { hfModelIndex, mctCard } from './card-views.js';
import { isoTime } from './card-time.js';

const DAY = 86_400_000;

/**
 * The hash an approval signs. The approvals section is left out: an approval records the hash, so a hash covering
 * approvals would be changed by the very approval that signs it (and supersede it at once).
 */
export function factsHash(facts: CardFacts): string {
  const signed = facts.sections.filter((s) => s.id !== 'approvals');
  const body = {
    model: facts.model,
    version: facts.version,
    sections: signed.map((s) => ({ id: s.id, status: s.status, reason: s.reason, as_of: s.as_of, facts: s.facts })),
  };
  return `sha256:${sha256Hex(canonicalJson(body))}`;
}

export function buildCard(facts: CardFacts, policy: CardPolicy, now: number): Card {
  const sections: Section[] = CARD_SECTIONS.map((id) => {
    const d = facts.sections.find((s) => s.id === id);
    if (!d) throw new Error(`The card's ${id} section was not gathered.`);
    const which = STALE_POLICY_OF[id];
    const age = which ? policy[which] : null;
    const stale = age !== null && d.status === 'present' && d.as_of !== null && now - d.as_of > age;
    return {
      id,
      title: SECTION_TITLES[id],
      status: d.status,
      reason: d.reason,
      as_of: d.as_of,
      as_of_iso: isoTime(d.as_of),
      stale,
      stale_after_days: age === null ? null : age / DAY,
      facts: d.facts,
    };
  });
  const times = sections.map((s) => s.as_of).filter((t): t is number => t !== null);
  return {
    card_schema: 'ferry.model_card/1',
    model: { name: facts.model, version: facts.version },
    content_hash: factsHash(facts),
    as_of: times.length ? Math.max(...times) : null,
    sections,
    stale_sections: sections.filter((s) => s.stale).map((s) => s.id),
    mct: mctCard(facts.model, facts.version, sections),
    model_index: hfModelIndex(facts.model, sections),
  };
}

/** A section's facts by id (the renderers and views read them). */
export function sectionOf(sections: Section[], id: Section['id']): Section {
  const s = sections.find((x) => x.id === id);
  if (!s) throw new Error(`The card has no ${id} section.`);
  return s;
}
