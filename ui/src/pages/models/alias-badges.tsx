/** A model's aliases as badges, each linking to the version it points at. */
import { href } from '../../router.js';

export function AliasBadges({ model, aliases }: { model: string; aliases: readonly { alias: string; version?: string }[] }) {
  if (aliases.length === 0) return <span className="muted">—</span>;
  return (
    <span className="alias-badges">
      {aliases.map((a) =>
        a.version ? (
          <a
            key={a.alias}
            className="badge"
            href={href('/models/:name/versions/:version', { name: model, version: a.version })}
            title={`@${a.alias} → version ${a.version}`}
          >
            @{a.alias} → v{a.version}
          </a>
        ) : (
          <span key={a.alias} className="badge">
            @{a.alias}
          </span>
        ),
      )}
    </span>
  );
}
