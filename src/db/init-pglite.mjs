// Initializes an empty PGlite data directory (initdb), run by the server in a short-lived process
// of its own: initdb leaves several hundred MB in the process that ran it, for that process's life.
import { PGlite } from '@electric-sql/pglite';

const pglite = await PGlite.create(process.argv[2]);
await pglite.close();
