import { createCommand } from '../../core/create-command.js';
import { loginStore } from '../../core/login.js';

export default createCommand({
  path: ['auth', 'logout'],
  summary: 'forget the stored login',
  examples: ['redivis auth logout'],
  async handler(_args, _options, ctx) {
    const store = await loginStore(ctx.io.env);
    const had = Boolean(await store.get());
    await store.clear();
    if (ctx.globals.json) return ctx.out.json({ loggedOut: had });
    ctx.out.success(had ? 'Logged out: the stored login is removed' : 'No stored login to remove');
    if (ctx.io.env.REDIVIS_API_TOKEN) ctx.out.status('REDIVIS_API_TOKEN is still set in this environment.');
  },
});
