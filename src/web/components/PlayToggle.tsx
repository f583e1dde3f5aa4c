/** Play or pause the animation called `name`: a toggle button over it ("Play party.gif", "Pause party.gif"). */
export function PlayToggle({
  playing,
  name,
  onChange,
  className,
  autofocus = false,
}: {
  playing: boolean;
  name: string;
  onChange: (playing: boolean) => void;
  className: string;
  /** Where a dialog (`Modal`) puts the focus when it opens. */
  autofocus?: boolean;
}) {
  return (
    <button
      type="button"
      className={className}
      aria-pressed={playing}
      aria-label={`${playing ? 'Pause' : 'Play'} ${name}`}
      onClick={() => onChange(!playing)}
      {...(autofocus ? { 'data-autofocus': true } : {})}
    >
      {playing ? '❚❚' : '▶'}
    </button>
  );
}
