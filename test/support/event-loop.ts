/**
 * Runs `work` and counts the event loop's turns while it runs (a setImmediate chain): work that
 * never yields, such as a chain of PGlite statements, lets none through, so no request either.
 */
export async function countTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let counting = true;
  const countTurn = () => {
    turns += 1;
    if (counting) setImmediate(countTurn);
  };
  setImmediate(countTurn);
  try {
    return { result: await work(), turns };
  } finally {
    counting = false;
  }
}
