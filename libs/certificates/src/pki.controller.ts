import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@sandi/core';
import { LocalCaService } from './local-ca.service.js';

const OCSP_RESPONSE = 'application/ocsp-response';
/** CA certificates are public and change only with a CA rollover: relying parties may keep them a day. */
const CA_CACHE = 'public, max-age=86400';

/**
 * The local CA's public face, as relying parties expect it: CA certificates, the CRL (DER) and the
 * OCSP responder (RFC 6960, POST and GET). Not rate-limited per IP like the forms: relying parties
 * behind one gateway check many signatures, and answers are cheap and cacheable.
 */
@ApiTags('pki')
@Controller('pki')
export class PkiController {
  constructor(private readonly ca: LocalCaService) {}

  @Get('ca/root.crt')
  @Public()
  @ApiOperation({ summary: 'Root CA certificate (DER)' })
  @ApiProduces('application/pkix-cert')
  async root(@Res() res: Response): Promise<void> {
    const { root } = await this.ca.authorities();
    res.type('application/pkix-cert').setHeader('Content-Disposition', 'attachment; filename="sandi-root-ca.crt"');
    res.setHeader('Cache-Control', CA_CACHE);
    res.send(root.der);
  }

  @Get('ca/issuing.crt')
  @Public()
  @ApiOperation({ summary: 'Issuing CA certificate (DER; the caIssuers URL of issued certificates)' })
  @ApiProduces('application/pkix-cert')
  async issuing(@Res() res: Response): Promise<void> {
    const { issuing } = await this.ca.authorities();
    res.type('application/pkix-cert').setHeader('Content-Disposition', 'attachment; filename="sandi-issuing-ca.crt"');
    res.setHeader('Cache-Control', CA_CACHE);
    res.send(issuing.der);
  }

  @Get('ca/chain.pem')
  @Public()
  @ApiOperation({ summary: 'The CA chain as PEM: issuing CA, then root' })
  @ApiProduces('application/pem-certificate-chain')
  async chain(@Res() res: Response): Promise<void> {
    res.type('application/pem-certificate-chain').setHeader('Content-Disposition', 'attachment; filename="sandi-ca-chain.pem"');
    res.setHeader('Cache-Control', CA_CACHE);
    res.send(await this.ca.chainPem());
  }

  @Get('crl')
  @Public()
  @ApiOperation({ summary: 'The current CRL (DER), re-issued on every revocation and before nextUpdate' })
  @ApiProduces('application/pkix-crl')
  async crl(@Res() res: Response): Promise<void> {
    const crl = await this.ca.currentCrl();
    const maxAge = Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 1000));
    res.type('application/pkix-crl').setHeader('Cache-Control', `public, max-age=${Math.min(maxAge, 300)}`);
    res.setHeader('Content-Disposition', 'attachment; filename="sandi-issuing-ca.crl"');
    res.send(crl.der);
  }

  @Post('ocsp')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'OCSP responder (RFC 6960), POST with an application/ocsp-request body' })
  @ApiProduces(OCSP_RESPONSE)
  @ApiOkResponse({ description: 'An OCSPResponse; malformed requests get the malformedRequest status, as the protocol says' })
  async ocspPost(@Req() req: Request, @Res() res: Response): Promise<void> {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    res.type(OCSP_RESPONSE).send(await this.ca.ocsp(body));
  }

  @Get('ocsp/*request')
  @Public()
  @ApiOperation({ summary: 'OCSP responder, GET with the base64 (URL-encoded) DER request in the path (RFC 6960 A.1)' })
  @ApiProduces(OCSP_RESPONSE)
  async ocspGet(@Param('request') request: string | string[], @Res() res: Response): Promise<void> {
    const raw = Array.isArray(request) ? request.join('/') : request;
    let der: Buffer;
    try {
      der = Buffer.from(decodeURIComponent(raw), 'base64');
    } catch {
      der = Buffer.alloc(0);
    }
    res.type(OCSP_RESPONSE).setHeader('Cache-Control', 'no-cache');
    res.send(await this.ca.ocsp(der));
  }
}
