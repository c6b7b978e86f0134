/** What every transport returns for one URL. Non-2xx answers are returned, not thrown. */
export interface FetchedPage {
  url: string;
  finalUrl: string;
  status: number;
  body: string;
}

/** One job's view of a transport (a browser context, or plain HTTP). */
export interface PageSession {
  fetch(url: string, signal?: AbortSignal): Promise<FetchedPage>;
  close(): Promise<void>;
}

export const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36 Rackhound/1.0';

/** The name matched against robots.txt groups. */
export const ROBOTS_AGENT = 'Rackhound';
