// The peer of benchmark 2: Emmett's SQLite event store (@event-driven-io/emmett-sqlite, on the async
// sqlite3 driver), loaded from test/bench/peer, in its two set-ups:
//   per-connection: its README set-up, getSQLiteEventStore({ fileName }): a new connection for every append
//                   (its own pool opens and closes one per operation; ours does the same, see below);
//   shared:         one connection for the whole run (connectionOptions: { singleton: true, connection }).
// Emmett only fires `PRAGMA journal_mode = WAL` without awaiting it, so every connection here gets WAL and
// synchronous=FULL, awaited, before use, as the appliance's store has.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { JsonObject } from '../../appliance/domain/types.ts';
import { PEER_DIR, PEER_PACKAGE } from './peer-install.ts';

// The few parts of the peer's API used here (its typings live in test/bench/peer/node_modules, outside tsconfig).
interface SQLiteConnection {
  close(): void;
  command(sql: string, values?: unknown[]): Promise<unknown>;
  query<T>(sql: string, values?: unknown[]): Promise<T[]>;
}
interface ConnectionPool {
  connection(): Promise<SQLiteConnection>;
  withConnection<R>(handle: (connection: SQLiteConnection) => Promise<R>): Promise<R>;
  close(): Promise<void>;
}
interface EmmettEventStore {
  appendToStream(streamName: string, events: { type: string; data: JsonObject }[]): Promise<{ lastEventGlobalPosition: bigint }>;
}
interface EmmettSqlite {
  sqliteConnection(options: { fileName: string }): SQLiteConnection;
  getSQLiteEventStore(options: {
    fileName: string;
    pool?: ConnectionPool;
    connectionOptions?: { singleton: true; connection: SQLiteConnection };
  }): EmmettEventStore;
}

export interface PeerWorkload {
  /** appends one event to the stream `asset-<tag>` */
  append(tag: string, data: JsonObject): Promise<void>;
  pragmas(): Promise<{ journalMode: string; synchronous: number }>;
  close(): void;
}

export interface Peer {
  version: string;
  perConnection: PeerWorkload;
  shared: PeerWorkload;
}

/** Loads the installed peer (throws when it cannot be loaded, e.g. sqlite3's binary is missing). */
export async function openPeer(dir: string): Promise<Peer> {
  const require = createRequire(join(PEER_DIR, 'package.json'));
  const emmett = require(PEER_PACKAGE) as EmmettSqlite;
  const { version } = require(join(PEER_DIR, 'node_modules', PEER_PACKAGE, 'package.json')) as { version: string };

  const connect = async (fileName: string): Promise<SQLiteConnection> => {
    const connection = emmett.sqliteConnection({ fileName });
    await connection.command('PRAGMA journal_mode = WAL');
    await connection.command('PRAGMA synchronous = FULL');
    return connection;
  };
  const pragmasOf = async (connection: SQLiteConnection) => {
    const [journal] = await connection.query<{ journal_mode: string }>('PRAGMA journal_mode');
    const [sync] = await connection.query<{ synchronous: number }>('PRAGMA synchronous');
    return { journalMode: journal?.journal_mode ?? '?', synchronous: sync?.synchronous ?? -1 };
  };
  const workload = (store: EmmettEventStore, pragmas: () => Promise<{ journalMode: string; synchronous: number }>, close: () => void): PeerWorkload => ({
    async append(tag, data) {
      await store.appendToStream(`asset-${tag}`, [{ type: 'ScanCaptured', data }]);
    },
    pragmas,
    close,
  });

  const perConnectionFile = join(dir, 'peer-per-connection.db');
  const pool: ConnectionPool = {
    connection: () => connect(perConnectionFile),
    async withConnection(handle) {
      const connection = await connect(perConnectionFile);
      try {
        return await handle(connection);
      } finally {
        connection.close();
      }
    },
    close: async () => {},
  };
  const perConnection = workload(
    emmett.getSQLiteEventStore({ fileName: perConnectionFile, pool }),
    () => pool.withConnection(pragmasOf),
    () => {},
  );

  const sharedFile = join(dir, 'peer-shared.db');
  const connection = await connect(sharedFile);
  const shared = workload(
    emmett.getSQLiteEventStore({ fileName: sharedFile, connectionOptions: { singleton: true, connection } }),
    () => pragmasOf(connection),
    () => connection.close(),
  );
  return { version, perConnection, shared };
}
