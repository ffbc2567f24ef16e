import type { Command } from 'commander';
import { withKafka } from '../../../kafka/admin.js';
import { describeGroups, memberLabel } from '../../../kafka/group-state.js';
import { loadDeployment } from '../../deployment.js';
import type { CliContext } from '../../io.js';
import { renderTable } from '../../table.js';

export function registerGroups(debugKafka: Command, ctx: CliContext) {
  debugKafka
    .command('groups')
    .description('list consumer groups: state, members and owning service')
    .option('--all-groups', 'include consumer groups that are not part of the registry')
    .option('--members', 'also list each member and the partitions it holds')
    .option('--json', 'print JSON')
    .action(async (opts: { allGroups?: boolean; members?: boolean; json?: boolean }, command: Command) => {
      const { config, registry } = await loadDeployment(command, ctx);
      const serviceOf = new Map(registry.bindings.map((b) => [b.consumerGroup, b.reader]));
      await withKafka(config.kafka, async ({ admin }) => {
        const ids = new Set(serviceOf.keys());
        if (opts.allGroups) for (const g of (await admin.listGroups()).groups) ids.add(g.groupId);
        const described = await describeGroups(admin, [...ids]);
        const rows = [...ids].map((id) => {
          const g = described.get(id);
          return {
            group: id,
            service: serviceOf.get(id) ?? null,
            state: g?.state ?? 'Unknown',
            members: (g?.members ?? []).map((m) => ({
              member: memberLabel(m),
              memberId: m.memberId,
              assignment: m.assignment,
            })),
          };
        });
        if (opts.json) {
          ctx.io.out(JSON.stringify(rows, null, 2));
          return;
        }
        ctx.io.out(
          renderTable(
            ['CONSUMER GROUP', 'SERVICE', 'STATE', 'MEMBERS'],
            rows.map((r) => [r.group, r.service ?? '-', r.state, String(r.members.length)]),
          ),
        );
        if (!opts.members) return;
        const memberRows = rows.flatMap((r) =>
          r.members.map((m) => [
            r.group,
            m.member,
            Object.entries(m.assignment)
              .map(([t, ps]) => `${t}[${ps.join(',')}]`)
              .join(' '),
          ]),
        );
        if (memberRows.length > 0)
          ctx.io.out(`\n${renderTable(['CONSUMER GROUP', 'MEMBER', 'PARTITIONS'], memberRows)}`);
      });
    });
}
