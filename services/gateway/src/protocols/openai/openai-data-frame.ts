/** One `data:` SSE frame, as OpenAI's Chat and Completions streams send them (no `event:` line). */
export function openAIDataFrame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
