import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { PageQueryDto, type Page } from '../http/pagination.js';
import { OutboxMessagePageDto, type OutboxMessageDto } from './dto/mailbox.dto.js';
import { NotifyService } from './notify.service.js';

@ApiTags('mailbox')
@ApiBearerAuth()
@Controller('mailbox')
export class MailboxController {
  constructor(private readonly notify: NotifyService) {}

  @Get()
  @Access('mailbox.read')
  @ApiOperation({ summary: 'Outgoing mail (outbox), newest first; with no SMTP server this is the developer mailbox' })
  @ApiOkResponse({ type: OutboxMessagePageDto })
  list(@Query() q: PageQueryDto): Promise<Page<OutboxMessageDto>> {
    return this.notify.list(q);
  }
}
