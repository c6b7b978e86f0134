import { Controller, Get, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AlertsService } from './alerts.service';

/**
 * GET /alerts/unsubscribe?token=... (the link in every email) and the one-click POST that mail
 * clients send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
 */
@Controller('alerts')
export class UnsubscribeController {
  constructor(private readonly alerts: AlertsService) {}

  @Get('unsubscribe')
  async page(@Query('token') token: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const done = token ? await this.alerts.unsubscribe(token) : null;
    await reply
      .status(done ? 200 : 400)
      .type('text/html; charset=utf-8')
      .send(
        done
          ? `<!doctype html><p>${escapeHtml(done.email)} will no longer receive ${done.ruleIds.length === 1 ? 'this alert' : `these ${done.ruleIds.length} alerts`}.</p>`
          : `<!doctype html><p>This unsubscribe link is invalid or has expired.</p>`,
      );
  }

  @Post('unsubscribe')
  async oneClick(
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const done = token ? await this.alerts.unsubscribe(token) : null;
    await reply.status(done ? 200 : 400).send({ unsubscribed: Boolean(done) });
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
