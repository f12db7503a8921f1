/**
 * A source that failed in a way that may pass (busy, rate limited, an error page). Its message is
 * what the user reads if every retry fails; `detail` is the technical reason, written to the job log.
 */
export class SourceBusyError extends Error {
  constructor(
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

export const osmBusy = (reason: string, detail: string) =>
  new SourceBusyError(`OpenStreetMap's search service is busy (${reason}); try again in a few minutes or narrow the area.`, detail);

export const geocoderBusy = (reason: string, detail: string) =>
  new SourceBusyError(`OpenStreetMap's place finder is busy (${reason}); try again in a few minutes.`, detail);

export const googleBusy = (reason: string, detail: string) =>
  new SourceBusyError(`Google Places is busy (${reason}); try again in a few minutes.`, detail);

/** A short, single-line excerpt of a response body for the job log. */
export const excerpt = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 200);
