import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { AppConfig } from '../config/app-config';

export type MailMessage = Mail.Options;

/** A nodemailer SMTP transport; pooled keeps up to `poolSize` connections open and reuses them. */
export function smtpTransport(url: string, pooled: boolean, poolSize = 5): Transporter {
  const u = new URL(url);
  return createTransport({
    host: u.hostname,
    port: Number(u.port) || (u.protocol === 'smtps:' ? 465 : 25),
    secure: u.protocol === 'smtps:',
    auth: u.username
      ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
      : undefined,
    ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
    tls: { rejectUnauthorized: u.searchParams.get('rejectUnauthorized') !== 'false' },
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    ...(pooled ? { pool: true, maxConnections: poolSize, maxMessages: 1000 } : {}),
  });
}

/** Sends mail over the configured pooled SMTP transport (SMTP_URL, SMTP_FROM, SMTP_POOL_SIZE). */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private transport: Transporter | null = null;

  constructor(private readonly config: AppConfig) {}

  get from(): string {
    return this.config.env.SMTP_FROM;
  }

  /** Resolves with the server's response once the message is accepted; rejects otherwise. */
  async send(message: MailMessage): Promise<{ messageId: string; response: string }> {
    this.transport ??= smtpTransport(
      this.config.env.SMTP_URL,
      true,
      this.config.env.SMTP_POOL_SIZE,
    );
    const info = (await this.transport.sendMail({ from: this.from, ...message })) as {
      messageId: string;
      response: string;
    };
    return info;
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.transport = null;
  }
}
