import type { ReactElement } from 'react';
import { SPEEDS, type Speed } from '../../playback';
import { useLab, virtualNowMs } from '../../store';
import { useController } from '../controller-context';
import { PauseIcon, PlayIcon, RestartIcon, StepBackIcon, StepForwardIcon } from '../icons';

const formatSpeed = (speed: number): string => `${speed}×`;

/** Play, pause, step, speed, restart and the timeline scrubber. */
export function PlaybackControls(): ReactElement {
  const controller = useController();
  const { state, cursor, length, speed } = useLab((s) => s.playback);
  const nowMs = useLab(virtualNowMs);
  const traceHash = useLab((s) => s.run?.result.traceHash);
  const disabled = length === 0;
  const playing = state === 'playing';
  return (
    <div className="pb-root" role="group" aria-label="Playback">
      <button type="button" className="btn pb-btn" aria-label="Restart" title="Restart (Home)" disabled={disabled} onClick={() => controller.send({ type: 'RESTART' })}>
        <RestartIcon />
      </button>
      <button type="button" className="btn pb-btn" aria-label="Step back" title="Step back (←)" disabled={disabled || cursor === 0} onClick={() => controller.send({ type: 'STEP_BACK' })}>
        <StepBackIcon />
      </button>
      <button
        type="button"
        className="btn pb-btn pb-play"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (space)' : 'Play (space)'}
        disabled={disabled}
        data-testid="play-pause"
        onClick={() => controller.send({ type: playing ? 'PAUSE' : 'PLAY' })}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <button type="button" className="btn pb-btn" aria-label="Step forward" title="Step forward (→)" disabled={disabled || cursor >= length} onClick={() => controller.send({ type: 'STEP_FORWARD' })}>
        <StepForwardIcon />
      </button>
      <label className="pb-speed">
        <span className="visually-hidden">Speed</span>
        <select aria-label="Speed" data-testid="speed" value={speed} onChange={(e) => controller.setSpeed(Number(e.target.value) as Speed)}>
          {SPEEDS.map((s) => (
            <option key={s} value={s}>
              {formatSpeed(s)}
            </option>
          ))}
        </select>
      </label>
      <input
        className="pb-scrubber"
        type="range"
        aria-label="Timeline"
        data-testid="scrubber"
        min={0}
        max={length}
        step={1}
        value={cursor}
        disabled={disabled}
        onChange={(e) => controller.send({ type: 'SEEK', cursor: Number(e.target.value) })}
      />
      <output className="pb-position" data-testid="position" aria-live="off">
        <span data-testid="cursor">{cursor}</span> / {length} · {nowMs.toLocaleString('en')} ms
        <span className="pb-state" data-testid="playback-state"> {state}</span>
      </output>
      {traceHash && (
        <span className="pb-hash" title="Trace hash: the same scenario and seed give the same trace, and this hash, in the browser, in Node and in CI">
          trace <code data-testid="trace-hash">{traceHash}</code>
        </span>
      )}
    </div>
  );
}
