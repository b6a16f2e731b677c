/**
 * The layout as a checked rule (README: Architecture). `npm run check:layout` runs it; `.ci/run` fails on a violation.
 * @type {import('dependency-cruiser').IConfiguration}
 */


module.exports = {
  forbidden: [
    {
      name: 'workspace-speaks-only-the-api',
      comment: 'web/ runs in the browser: its UI library and the public API (over HTTP), never the server code (types of the API: see the next rule)',
      severity: 'error',
      from: { path: '^web/' },
      to: { pathNot: '^web/|\\.css$', dependencyTypesNot: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'type-only'] },
    },
    {
      name: 'workspace-takes-only-the-api-types',
      comment:
        'web/ takes the shapes of the API from where the server declares them, by `import type` only (erased from the bundle): ' +
        'the route schemas, and the few pure declarations they stand on (rules, the routing trace, replay events)',
      severity: 'error',
      from: { path: '^web/' },
      to: {
        dependencyTypes: ['type-only'],
        pathNot: '^web/|^gateway/schemas/[^/]+\\.schema\\.ts$|^routing/(rule\\.types|evaluate-rules)\\.ts$|^gateway/rules/rule-replay\\.ts$|(^|/)node_modules/',
      },
    },
    {
      name: 'decisions-are-pure',
      comment: 'routing/ and nlp/ take snapshots and return decisions: no store, no gateway, no provider code, no I/O',
      severity: 'error',
      from: { path: '^(routing|nlp)/', pathNot: '^nlp/scripts/' },
      to: {
        pathNot: '^(routing|nlp)/|^channels/[^/]+\\.types\\.ts$',
        dependencyTypesNot: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'core'],
      },
    },
    {
      name: 'decisions-do-no-io',
      comment: 'no file system, network or process access in routing/ and nlp/ (nlp/natural-deps.ts only loads the library)',
      severity: 'error',
      from: { path: '^(routing|nlp)/', pathNot: '^nlp/natural-deps\\.ts$|^nlp/scripts/' },
      to: { dependencyTypes: ['core'], path: '^(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|cluster|worker_threads)$' },
    },
    {
      name: 'decisions-use-no-database',
      severity: 'error',
      from: { path: '^(routing|nlp)/' },
      to: { path: '^store/|node_modules/(kysely|better-sqlite3|pg|@prisma)/' },
    },
    {
      name: 'store-is-the-only-door',
      comment: 'only store/ holds connections, query builders and SQL',
      severity: 'error',
      from: { path: '^(gateway|channels|routing|nlp|web)/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: `node_modules/(kysely|better-sqlite3|pg|@prisma|prisma)/` },
    },
    {
      name: 'routes-call-services',
      comment: 'route files are thin: schema, auth, a service call; they never reach the store',
      severity: 'error',
      from: { path: '\\.routes?\\.ts$' },
      to: { path: '^store/' },
    },
    {
      name: 'channels-do-not-reach-the-store',
      comment: 'channels get what they need through ChannelContext and the agent desk',
      severity: 'error',
      from: { path: '^channels/' },
      to: { path: '^store/' },
    },
    {
      name: 'twilio-only-in-sms',
      severity: 'error',
      from: { pathNot: '^channels/sms/' },
      to: { path: 'node_modules/twilio/' },
    },
    {
      name: 'slack-only-in-slack',
      severity: 'error',
      from: { pathNot: '^channels/slack/' },
      to: { path: 'node_modules/@slack/' },
    },
    {
      name: 'mail-libraries-only-in-email',
      severity: 'error',
      from: { pathNot: '^channels/email/' },
      to: { path: 'node_modules/(nodemailer|mailparser|smtp-server)/' },
    },
    {
      name: 'channels-are-independent',
      comment: 'a channel uses the shared pieces in channels/*.ts, never another channel',
      severity: 'error',
      from: { path: '^channels/([^/]+)/' },
      to: { path: '^channels/[^/]+/', pathNot: '^channels/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^store/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'] },
  },
};


