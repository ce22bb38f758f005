/** SIGTERM or SIGINT: close in order, then exit 0; a second signal exits at once. */
export function closeOnSignal(close: () => Promise<void>): void {
  const onSignal = () => {
    process.once('SIGTERM', () => process.exit(1));
    process.once('SIGINT', () => process.exit(1));
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
