// Server-Sent Events read from a fetch response (a browser's EventSource cannot send the bearer token):
// the one parser of the control-room console, for the live queue and the listening session's audio.

/** Reads `response` to its end, calling onEvent(event, id, data) for each event that has data. */
export async function readEvents(response, onEvent) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) { return; }
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.substring(0, end);
      buffer = buffer.substring(end + 2);
      let id = null;
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) { id = line.substring(4); }
        else if (line.startsWith('event: ')) { event = line.substring(7); }
        else if (line.startsWith('data: ')) { data.push(line.substring(6)); }
      }
      if (data.length > 0) { onEvent(event, id, data.join('\n')); }
    }
  }
}
