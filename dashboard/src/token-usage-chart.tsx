/** A token's requests per day as a small bar chart (inline SVG): a picture at a glance, the numbers on hover. */
export function TokenUsageChart({ usage }: { usage: readonly { date: string; requests: number }[] }) {
  const total = usage.reduce((sum, day) => sum + day.requests, 0);
  const peak = Math.max(1, ...usage.map((day) => day.requests));
  const width = 120;
  const height = 28;
  const slot = width / Math.max(1, usage.length);
  return (
    <svg
      class="usage-chart"
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`${total} requests in the last ${usage.length} days`}
      data-total={total}
    >
      <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} class="usage-axis" />
      {usage.map((day, index) => {
        const barHeight = day.requests === 0 ? 0 : Math.max(2, (day.requests / peak) * (height - 2));
        return (
          <rect key={day.date} x={index * slot + 0.5} y={height - 1 - barHeight} width={Math.max(1, slot - 1)} height={barHeight}>
            <title>{`${day.date}: ${day.requests} requests`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
